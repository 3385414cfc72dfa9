namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// Storage of one peer's own that also takes the blocks of pieces not yet verified, as a real client
/// writes blocks to its file as they arrive: <see cref="PieceStore"/> then keeps no block in memory
/// and hashes a completed piece as read back from storage. Never shared: unverified bytes stay private.
/// </summary>
public interface IBlockStorage : IPieceStorage
{
    void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data);

    /// <summary>Reads the whole of <paramref name="piece"/> as stored (verified or not) into <paramref name="destination"/>.</summary>
    void ReadPiece(int piece, Span<byte> destination);
}
