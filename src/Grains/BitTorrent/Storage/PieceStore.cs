using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// One peer's copy of a torrent: assembles incoming blocks into pieces and checks each complete
/// piece against its SHA-1 from the metainfo (BEP 3: "the client must check the hash"). A piece
/// whose hash is wrong is never marked held: its blocks are discarded, to be downloaded again, and
/// the peers that sent them are reported. Blocks are kept as the memory they arrived in (a message's
/// bytes are immutable) and hashed where they lie; only a verified piece is written to storage.
/// </summary>
public sealed class PieceStore
{
    private readonly IPieceStorage _storage;
    private readonly IBlockStorage? _blockStorage;
    private byte[]? _readBack;
    private readonly Dictionary<int, PartialPiece> _partial = [];

    // Reused: a piece's state once it is verified or discarded, and the (immutable) results of a block stored or a duplicate.
    private readonly Stack<PartialPiece> _spare = [];
    private BlockResult?[]? _stored;
    private BlockResult?[]? _duplicate;

    public PieceStore(Metainfo metainfo, IPieceStorage? storage = null)
    {
        Metainfo = metainfo;
        _storage = storage ?? new MemoryPieceStorage();
        _blockStorage = _storage as IBlockStorage;
        Have = new BitField(metainfo.PieceCount);
    }

    public Metainfo Metainfo { get; }

    public PieceLayout Layout => Metainfo.Layout;

    /// <summary>The verified pieces. Read it; only the store sets bits.</summary>
    public BitField Have { get; }

    public bool IsComplete => Have.IsComplete;

    /// <summary>Pieces with some blocks received but not yet complete.</summary>
    public int PartialPieceCount => _partial.Count;

    public long BytesVerified { get; private set; }

    /// <summary>A seed: holds every piece of <paramref name="content"/>, each checked against the metainfo.</summary>
    public static PieceStore Seed(Metainfo metainfo, ReadOnlyMemory<byte> content, IPieceStorage? storage = null)
    {
        if (content.Length != metainfo.TotalLength)
        {
            throw new ArgumentException($"content is {content.Length} bytes, the torrent {metainfo.TotalLength}", nameof(content));
        }

        return Seed(metainfo, [.. Enumerable.Range(0, metainfo.PieceCount).Select(p => content.Slice((int)metainfo.Layout.PieceOffset(p), metainfo.Layout.PieceSize(p)))], storage);
    }

    /// <summary>A seed: holds every piece, given piece by piece (each checked against the metainfo), without joining them into one buffer first.</summary>
    public static PieceStore Seed(Metainfo metainfo, IReadOnlyList<ReadOnlyMemory<byte>> pieces, IPieceStorage? storage = null)
    {
        if (pieces.Count != metainfo.PieceCount)
        {
            throw new ArgumentException($"{pieces.Count} pieces given, the torrent has {metainfo.PieceCount}", nameof(pieces));
        }

        // Checked on every core (a 100 MB seed is 60 ms of SHA-1 on one), then kept in piece order.
        var valid = new bool[pieces.Count];
        Parallel.For(0, pieces.Count, new ParallelOptions { TaskScheduler = TaskScheduler.Default }, piece => valid[piece] = metainfo.VerifyPiece(piece, pieces[piece].Span));
        var store = new PieceStore(metainfo, storage);
        for (var piece = 0; piece < metainfo.PieceCount; piece++)
        {
            if (!valid[piece])
            {
                throw new ArgumentException($"piece {piece} of the content does not match its hash", nameof(pieces));
            }

            store.MarkVerified(piece, [pieces[piece]]);
        }

        return store;
    }

    public bool HasPiece(int piece) => Have[piece];

    public bool HasBlock(BlockRequest block)
    {
        Layout.EnsureValid(block);
        return Have[block.Piece]
            || (_partial.TryGetValue(block.Piece, out var partial) && partial.Received[PieceLayout.BlockIndex(block)]);
    }

    /// <summary>
    /// Receives one block (a BEP 3 piece message). Throws <see cref="InvalidBlockException"/> when
    /// it is not a block of the layout or the data length differs from the block's. The store keeps
    /// <paramref name="data"/> until the piece is verified or discarded: the caller must not change it.
    /// </summary>
    public BlockResult AddBlock(PeerId from, BlockRequest block, ReadOnlyMemory<byte> data)
    {
        Layout.EnsureValid(block);
        if (data.Length != block.Length)
        {
            throw new InvalidBlockException(block, BlockError.DataLengthMismatch);
        }

        if (Have[block.Piece])
        {
            return Duplicate(block.Piece);
        }

        if (!_partial.TryGetValue(block.Piece, out var partial))
        {
            var blocks = Layout.BlockCount(block.Piece);
            partial = _spare.TryPeek(out var spare) && spare.Received.Length == blocks ? _spare.Pop() : new PartialPiece(blocks);
            _partial[block.Piece] = partial;
        }

        var index = PieceLayout.BlockIndex(block);
        if (partial.Received[index])
        {
            return Duplicate(block.Piece);
        }

        if (_blockStorage is not null)
        {
            _blockStorage.WriteBlock(block.Piece, block.Offset, data.Span); // to the peer's own file, as it arrives
        }
        else
        {
            partial.Blocks[index] = data;
        }

        partial.Received[index] = true;
        partial.From[index] = from;
        partial.ReceivedCount++;
        if (partial.ReceivedCount < partial.Received.Length)
        {
            return (_stored ??= new BlockResult?[Metainfo.PieceCount])[block.Piece] ??= new BlockResult(BlockOutcome.Stored, block.Piece, []);
        }

        _partial.Remove(block.Piece);
        if (_blockStorage is not null ? VerifyStored(block.Piece) : Metainfo.VerifyPiece(block.Piece, partial.Blocks))
        {
            if (_blockStorage is null)
            {
                _storage.Write(block.Piece, partial.Blocks);
            }

            Spare(partial);
            Held(block.Piece); // block storage holds it already, as checked
            return new BlockResult(BlockOutcome.PieceVerified, block.Piece, []);
        }

        // Discarded whole: we cannot tell which block was bad, so all contributors are suspects.
        var contributors = partial.From.OfType<PeerId>().Distinct().ToArray();
        Spare(partial);
        return new BlockResult(BlockOutcome.PieceFailed, block.Piece, contributors);
    }

    private BlockResult Duplicate(int piece) =>
        (_duplicate ??= new BlockResult?[Metainfo.PieceCount])[piece] ??= new BlockResult(BlockOutcome.Duplicate, piece, []);

    /// <summary>A finished piece's state, emptied (no block memory held), for the next piece started.</summary>
    private void Spare(PartialPiece partial)
    {
        Array.Clear(partial.Blocks);
        Array.Clear(partial.Received);
        Array.Clear(partial.From);
        partial.ReceivedCount = 0;
        _spare.Push(partial);
    }

    public BlockResult AddBlock(PeerId from, PieceMessage message) => AddBlock(from, message.Block, message.Data);

    /// <summary>The bytes of a block of a held piece, to answer a request. Validates the request.</summary>
    public ReadOnlyMemory<byte> ReadBlock(BlockRequest block)
    {
        Layout.EnsureValid(block);
        if (!Have[block.Piece])
        {
            throw new InvalidOperationException($"piece {block.Piece} is not held");
        }

        return _storage.Read(block.Piece, block.Offset, block.Length);
    }

    public ReadOnlyMemory<byte> ReadPiece(int piece)
    {
        if (!Have[piece])
        {
            throw new InvalidOperationException($"piece {piece} is not held");
        }

        return _storage.Read(piece, 0, Layout.PieceSize(piece));
    }

    /// <summary>The whole content; only when complete.</summary>
    public byte[] ToArray()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException($"only {Have.Count} of {Have.Length} pieces held");
        }

        var all = new byte[Metainfo.TotalLength];
        for (var piece = 0; piece < Have.Length; piece++)
        {
            ReadPiece(piece).Span.CopyTo(all.AsSpan((int)Layout.PieceOffset(piece)));
        }

        return all;
    }

    /// <summary>The piece as its blocks were written to block storage, hashed (the bytes that will be served are the bytes checked).</summary>
    private bool VerifyStored(int piece)
    {
        var data = (_readBack ??= new byte[Metainfo.PieceLength]).AsSpan(0, Layout.PieceSize(piece));
        _blockStorage!.ReadPiece(piece, data);
        return Metainfo.VerifyPiece(piece, data);
    }

    private void MarkVerified(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        _storage.Write(piece, blocks);
        Held(piece);
    }

    private void Held(int piece)
    {
        Have[piece] = true;
        BytesVerified += Layout.PieceSize(piece);
    }

    private sealed class PartialPiece(int blocks)
    {
        public ReadOnlyMemory<byte>[] Blocks { get; } = new ReadOnlyMemory<byte>[blocks];

        public bool[] Received { get; } = new bool[blocks];

        public PeerId?[] From { get; } = new PeerId?[blocks];

        public int ReceivedCount { get; set; }
    }
}
