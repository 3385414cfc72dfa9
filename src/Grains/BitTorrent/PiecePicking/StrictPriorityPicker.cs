namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Strict priority (Cohen 2003 section 2.3.1): once some block of a piece is requested, the rest
/// of that piece comes before any new piece, so complete pieces (the unit that can be verified
/// and shared) appear quickly. Among started pieces the peer has, the furthest along wins.
/// </summary>
public sealed class StrictPriorityPicker(IPiecePicker inner, PieceRequests requests) : IPiecePicker
{
    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        var started = requests.StartedPieces
            .Where(piece => available[piece])
            .OrderByDescending(requests.TouchedBlocks)
            .ThenBy(piece => piece);
        foreach (var piece in started)
        {
            var blocks = requests.UnrequestedBlocks(piece).Take(count).ToArray();
            if (blocks.Length > 0)
            {
                return blocks;
            }
        }

        return inner.Pick(peer, available, count);
    }
}
