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

        foreach (var piece in available.SetIndices())
        {
            var blocks = requests.UnrequestedBlocks(piece).Take(count).ToArray();
            if (blocks.Length > 0)
            {
                return blocks;
            }
        }

        return [];
    }
}
