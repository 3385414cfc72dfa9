namespace P2POrleans.BitTorrent;

/// <summary>
/// A block of a piece: index, begin (byte offset inside the piece) and length, as in the BEP 3
/// request, piece and cancel messages. Blocks here are 16 KiB, the last one of a piece shorter.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.BlockRequest")]
public readonly record struct BlockRequest(
    [property: Id(0)] int Piece,
    [property: Id(1)] int Offset,
    [property: Id(2)] int Length)
{
    public override string ToString() => $"{Piece}:{Offset}+{Length}";
}
