namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Offers the candidate pieces to the inner picker one at a time in a uniformly random order
/// (seeded <see cref="Random"/>), so ties are broken at random: inside rarest first it picks a
/// random piece among the rarest (Cohen 2003 section 2.3); alone it is plain random picking.
/// </summary>
public sealed class RandomisedPicker(IPiecePicker inner, Random random) : IPiecePicker
{
    private readonly StandardPicker? _standard = inner as StandardPicker;

    /// <summary>The candidates of the current pick, reused from pick to pick.</summary>
    private int[] _candidates = [];

    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0 || available.IsEmpty)
        {
            return [];
        }

        if (_candidates.Length < available.Count)
        {
            _candidates = new int[available.Length];
        }

        var candidates = _candidates;
        var at = 0;
        for (var piece = available.NextIndex(0, set: true); piece >= 0; piece = piece + 1 < available.Length ? available.NextIndex(piece + 1, set: true) : -1)
        {
            candidates[at++] = piece;
        }

        var single = _standard is null ? new BitField(available.Length) : null;
        // Fisher-Yates drawn lazily: stop at the first piece that yields blocks.
        for (var n = available.Count; n > 0; n--)
        {
            var k = random.Next(n);
            var piece = candidates[k];
            candidates[k] = candidates[n - 1];
            var blocks = _standard?.PickPiece(piece, count) ?? PickOne(peer, single!, piece, count);
            if (blocks.Count > 0)
            {
                return blocks;
            }
        }

        return [];
    }

    private IReadOnlyList<BlockRequest> PickOne(PeerId peer, BitField single, int piece, int count)
    {
        single[piece] = true;
        var blocks = inner.Pick(peer, single, count);
        single[piece] = false;
        return blocks;
    }
}
