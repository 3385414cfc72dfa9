namespace P2POrleans.BitTorrent.Messages;

/// <summary>
/// BEP 3 piece: the data of one block. Immutable so a grain call inside one silo passes the
/// memory without copying it; the sender must not change the bytes after sending.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Piece")]
public sealed record PieceMessage(
    [property: Id(0)] int Piece,
    [property: Id(1)] int Offset,
    [property: Id(2)] ReadOnlyMemory<byte> Data) : PeerMessage
{
    public BlockRequest Block => new(Piece, Offset, Data.Length);
}
