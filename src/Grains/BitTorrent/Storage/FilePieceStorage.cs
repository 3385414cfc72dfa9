using Microsoft.Win32.SafeHandles;

namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// One peer's pieces in a file of its own, at the pieces' offsets in the torrent's content: blocks are
/// written as they arrive and a completed piece is hashed as read back (as a real client keeps them).
/// The file is created in the system's temporary folder and unlinked at once: it has no name to clean
/// up, and the kernel frees it when the storage is disposed or the process ends, however it ends. Written pieces stay in the page cache, not in the process's
/// memory: 100 private copies of a 100 MB torrent cost 10 GB of disk, not of resident memory.
/// </summary>
public sealed class FilePieceStorage : IBlockStorage, IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _pieceLength;

    public FilePieceStorage(long totalLength, int pieceLength, string? folder = null)
    {
        var path = Path.Combine(folder ?? Path.GetTempPath(), $"p2p-swarm-{Guid.NewGuid():N}.pieces");
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.DeleteOnClose);
        try
        {
            File.Delete(path); // unlinked while open (where the system allows it; otherwise deleted on close)
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // DeleteOnClose removes it when the handle closes.
        }

        RandomAccess.SetLength(_file, totalLength);
        _pieceLength = pieceLength;
    }

    public void Write(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks) => RandomAccess.Write(_file, blocks, piece * _pieceLength);

    public void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data) => RandomAccess.Write(_file, data, (piece * _pieceLength) + offset);

    public ReadOnlyMemory<byte> Read(int piece, int offset, int length)
    {
        var data = new byte[length];
        ReadAt(piece, offset, data);
        return data;
    }

    public void ReadPiece(int piece, Span<byte> destination) => ReadAt(piece, 0, destination);

    private void ReadAt(int piece, int offset, Span<byte> destination)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(_file, destination[read..], (piece * _pieceLength) + offset + read);
            if (n == 0)
            {
                throw new InvalidOperationException($"piece {piece} was never stored");
            }

            read += n;
        }
    }

    public void Dispose() => _file.Dispose();
}
