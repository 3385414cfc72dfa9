using System.Collections.Concurrent;

namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// Verified pieces in memory. Thread-safe, so one instance may back every peer of a torrent in a
/// silo (see <see cref="IPieceStorage"/>): the first writer's copy of a piece is kept, and a piece
/// already held is not copied again.
/// </summary>
public sealed class MemoryPieceStorage : IPieceStorage
{
    private readonly ConcurrentDictionary<int, ReadOnlyMemory<byte>> _pieces = new();

    public int StoredPieces => _pieces.Count;

    public void Write(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        if (_pieces.ContainsKey(piece))
        {
            return;
        }

        _pieces.TryAdd(piece, Join(blocks));
    }

    public ReadOnlyMemory<byte> Read(int piece, int offset, int length) =>
        _pieces.TryGetValue(piece, out var data) ? data.Slice(offset, length) : throw new InvalidOperationException($"piece {piece} was never stored");

    /// <summary>A copy of the blocks in one buffer: the storage owns its bytes, whoever sent them.</summary>
    private static byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        var data = new byte[blocks.Sum(b => b.Length)];
        var at = 0;
        foreach (var block in blocks)
        {
            block.Span.CopyTo(data.AsSpan(at));
            at += block.Length;
        }

        return data;
    }
}
