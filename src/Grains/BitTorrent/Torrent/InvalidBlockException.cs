namespace P2POrleans.BitTorrent.Torrent;

/// <summary>A request or block that does not describe a block of the torrent's layout.</summary>
public sealed class InvalidBlockException(BlockRequest block, BlockError error)
    : Exception($"invalid block {block}: {error}")
{
    public BlockRequest Block { get; } = block;

    public BlockError Error { get; } = error;
}
