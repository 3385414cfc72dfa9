namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Local rarest first (Cohen 2003 section 2.3.2; Legout et al. 2006): offers the inner picker the
/// candidates held by the fewest connected peers first, then the next rarest, and so on. Wrap a
/// <see cref="RandomisedPicker"/> to break ties at random.
/// </summary>
public sealed class RarestFirstPicker(IPiecePicker inner, Availability availability) : IPiecePicker
{
    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0 || available.IsEmpty)
        {
            return [];
        }

        var byRarity = available.SetIndices().GroupBy(piece => availability[piece]).OrderBy(g => g.Key);
        foreach (var group in byRarity)
        {
            var bucket = new BitField(available.Length);
            foreach (var piece in group)
            {
                bucket[piece] = true;
            }

            var blocks = inner.Pick(peer, bucket, count);
            if (blocks.Count > 0)
            {
                return blocks;
            }
        }

        return [];
    }
}
