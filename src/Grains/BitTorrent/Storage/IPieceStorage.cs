namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// Where verified pieces are kept. <see cref="PieceStore"/> writes a piece only after its SHA-1
/// matched, so every peer of a torrent writes identical bytes for a piece: a simulation may share
/// one storage between all the peers of a torrent and hold the content once, not once per peer.
/// </summary>
public interface IPieceStorage
{
    void Write(int piece, byte[] data);

    /// <summary>The piece's bytes; only called for pieces written before.</summary>
    ReadOnlyMemory<byte> Read(int piece);
}
