namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// The innermost picker: the unrequested blocks of the first candidate piece (lowest index) that
/// has any. Decorators decide which candidates it sees and in what order.
/// </summary>
public sealed class StandardPicker(PieceRequests requests) : IPiecePicker
{
    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        for (var piece = available.NextIndex(0, set: true); piece >= 0; piece = piece + 1 < available.Length ? available.NextIndex(piece + 1, set: true) : -1)
        {
            var blocks = requests.FirstUnrequestedBlocks(piece, count);
            if (blocks.Length > 0)
            {
                return blocks;
            }
        }

        return [];
    }

    /// <summary>The same as <see cref="Pick"/> with only <paramref name="piece"/> available, without a bitfield for it.</summary>
    public IReadOnlyList<BlockRequest> PickPiece(int piece, int count) => requests.FirstUnrequestedBlocks(piece, count);
}
