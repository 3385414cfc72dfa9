using System.Collections.Concurrent;

namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// Verified pieces in memory. Thread-safe, so one instance may back every peer of a torrent in a
/// silo (see <see cref="IPieceStorage"/>): the first writer's copy of a piece is kept.
/// </summary>
public sealed class MemoryPieceStorage : IPieceStorage
{
    private readonly ConcurrentDictionary<int, byte[]> _pieces = new();

    public int StoredPieces => _pieces.Count;

    public void Write(int piece, byte[] data) => _pieces.TryAdd(piece, data);

    public ReadOnlyMemory<byte> Read(int piece) =>
        _pieces.TryGetValue(piece, out var data) ? data : throw new InvalidOperationException($"piece {piece} was never stored");
}
