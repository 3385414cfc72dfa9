namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Local rarest first (Cohen 2003 section 2.3.2; Legout et al. 2006): offers the inner picker the
/// candidates held by the fewest connected peers first, then the next rarest, and so on. Wrap a
/// <see cref="RandomisedPicker"/> to break ties at random.
/// </summary>
public sealed class RarestFirstPicker(IPiecePicker inner, Availability availability) : IPiecePicker
{
    // Reused from pick to pick: the sort keys, and the pieces of one rarity (all clear between picks).
    private long[] _keys = [];
    private BitField? _bucket;

    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0 || available.IsEmpty)
        {
            return [];
        }

        // (availability, piece) packed in one sortable key: rarest first, each rarity's pieces by index.
        if (_keys.Length < available.Count)
        {
            _keys = new long[available.Length];
        }

        var keys = _keys.AsSpan(0, available.Count);
        var at = 0;
        for (var piece = available.NextIndex(0, set: true); piece >= 0; piece = piece + 1 < available.Length ? available.NextIndex(piece + 1, set: true) : -1)
        {
            keys[at++] = ((long)availability[piece] << 32) | (uint)piece;
        }

        keys.Sort();
        var bucket = _bucket is { } b && b.Length == available.Length ? b : _bucket = new BitField(available.Length);
        for (var start = 0; start < keys.Length;)
        {
            var rarity = keys[start] >> 32;
            var end = start;
            while (end < keys.Length && keys[end] >> 32 == rarity)
            {
                bucket[(int)keys[end++]] = true;
            }

            var blocks = inner.Pick(peer, bucket, count);
            for (var i = start; i < end; i++)
            {
                bucket[(int)keys[i]] = false;
            }

            if (blocks.Count > 0)
            {
                return blocks;
            }

            start = end;
        }

        return [];
    }
}
