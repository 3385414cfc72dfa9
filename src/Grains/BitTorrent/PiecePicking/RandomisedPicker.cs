namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Offers the candidate pieces to the inner picker one at a time in a uniformly random order
/// (seeded <see cref="Random"/>), so ties are broken at random: inside rarest first it picks a
/// random piece among the rarest (Cohen 2003 section 2.3); alone it is plain random picking.
/// </summary>
public sealed class RandomisedPicker(IPiecePicker inner, Random random) : IPiecePicker
{
    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0 || available.IsEmpty)
        {
            return [];
        }

        var candidates = available.SetIndices().ToArray();
        var single = new BitField(available.Length);
        // Fisher-Yates drawn lazily: stop at the first piece that yields blocks.
        for (var n = candidates.Length; n > 0; n--)
        {
            var k = random.Next(n);
            var piece = candidates[k];
            candidates[k] = candidates[n - 1];
            single[piece] = true;
            var blocks = inner.Pick(peer, single, count);
            single[piece] = false;
            if (blocks.Count > 0)
            {
                return blocks;
            }
        }

        return [];
    }
}
