namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// Where verified pieces are kept. <see cref="PieceStore"/> writes a piece only after its SHA-1
/// matched, so every peer of a torrent writes identical bytes for a piece: a simulation may share
/// one storage between all the peers of a torrent and hold the content once, not once per peer
/// (<see cref="MemoryPieceStorage"/>), or give each peer its own file (<see cref="FilePieceStorage"/>).
/// </summary>
public interface IPieceStorage
{
    /// <summary>Keeps piece <paramref name="piece"/>, given as its blocks in order (the caller may not change them afterwards).</summary>
    void Write(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks);

    /// <summary><paramref name="length"/> bytes of the piece from <paramref name="offset"/>; only called for pieces written before.</summary>
    ReadOnlyMemory<byte> Read(int piece, int offset, int length);
}
