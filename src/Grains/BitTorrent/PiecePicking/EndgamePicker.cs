namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Endgame mode (Cohen 2003 section 2.3.4): when the inner picker finds nothing because every
/// block we lack is already requested, ask this peer too for pending blocks it has that are not
/// yet requested from it — least duplicated first — so a slow peer cannot hold up the last
/// piece. <see cref="PieceRequests.Received"/> then names the peers to cancel.
/// </summary>
public sealed class EndgamePicker(IPiecePicker inner, PieceRequests requests) : IPiecePicker
{
    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        var blocks = inner.Pick(peer, available, count);
        if (blocks.Count > 0 || !requests.AllRemainingRequested())
        {
            return blocks;
        }

        return Duplicates(peer, available, count);
    }

    /// <summary>The endgame's own picks (a method of its own: its lambdas capture the peer, and a capture allocates on entry).</summary>
    private BlockRequest[] Duplicates(PeerId peer, BitField available, int count)
    {
        return available.SetIndices()
            .SelectMany(requests.PendingBlocks)
            .Where(block => !requests.IsRequestedFrom(peer, block))
            .OrderBy(requests.RequestCount)
            .ThenBy(block => block.Piece)
            .ThenBy(block => block.Offset)
            .Take(count)
            .ToArray();
    }
}
