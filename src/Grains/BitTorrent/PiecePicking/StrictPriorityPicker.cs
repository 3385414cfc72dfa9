namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Strict priority (Cohen 2003 section 2.3.1): once some block of a piece is requested, the rest
/// of that piece comes before any new piece, so complete pieces (the unit that can be verified
/// and shared) appear quickly. Among started pieces the peer has, the furthest along wins.
/// </summary>
public sealed class StrictPriorityPicker(IPiecePicker inner, PieceRequests requests) : IPiecePicker
{
    private readonly List<(int Piece, int Touched)> _started = [];

    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        // Furthest along first, then lowest index: a total order, so the sort needs no stability.
        _started.Clear();
        requests.StartedPiecesIn(available, _started);
        _started.Sort(static (a, b) => a.Touched != b.Touched ? b.Touched.CompareTo(a.Touched) : a.Piece.CompareTo(b.Piece));
        foreach (var (piece, _) in _started)
        {
            var blocks = requests.FirstUnrequestedBlocks(piece, count);
            if (blocks.Length > 0)
            {
                return blocks;
            }
        }

        return inner.Pick(peer, available, count);
    }
}
