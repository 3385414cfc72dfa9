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

        // A piece given whole (a seed's content) is kept as it is: the caller does not change it (IPieceStorage),
        // and copying a seed's 100 MB meant as much fresh memory, which on this tool's test machine cost more
        // to fault in than to hash.
        _pieces.TryAdd(piece, blocks.Count == 1 ? blocks[0] : Join(blocks));
    }

    public ReadOnlyMemory<byte> Read(int piece, int offset, int length) =>
        _pieces.TryGetValue(piece, out var data) ? data.Slice(offset, length) : throw new InvalidOperationException($"piece {piece} was never stored");

    /// <summary>A copy of the blocks in one buffer, so a read may span blocks.</summary>
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
