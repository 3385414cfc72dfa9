namespace P2POrleans.BitTorrent.Torrent;

/// <summary>
/// How a torrent's bytes split into pieces (BEP 3: all of piece length except possibly the last)
/// and each piece into blocks of 16 KiB, the request size every client uses (the last block of
/// the last piece may be shorter).
/// </summary>
public sealed class PieceLayout
{
    public const int BlockLength = 16 * 1024;

    public PieceLayout(long totalLength, int pieceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        TotalLength = totalLength;
        PieceLength = pieceLength;
        var count = (totalLength + pieceLength - 1) / pieceLength;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(totalLength), "too many pieces");
        }

        PieceCount = (int)count;
        LastPieceLength = (int)(totalLength - ((long)(PieceCount - 1) * pieceLength));
    }

    public long TotalLength { get; }

    public int PieceLength { get; }

    public int PieceCount { get; }

    public int LastPieceLength { get; }

    public int PieceSize(int piece)
    {
        CheckPiece(piece);
        return piece == PieceCount - 1 ? LastPieceLength : PieceLength;
    }

    public long PieceOffset(int piece)
    {
        CheckPiece(piece);
        return (long)piece * PieceLength;
    }

    public int BlockCount(int piece) => (PieceSize(piece) + BlockLength - 1) / BlockLength;

    public BlockRequest Block(int piece, int block)
    {
        var size = PieceSize(piece);
        var count = (size + BlockLength - 1) / BlockLength;
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, count);
        var offset = block * BlockLength;
        return new BlockRequest(piece, offset, Math.Min(BlockLength, size - offset));
    }

    public IEnumerable<BlockRequest> Blocks(int piece)
    {
        var count = BlockCount(piece);
        for (var b = 0; b < count; b++)
        {
            yield return Block(piece, b);
        }
    }

    public int TotalBlocks => (int)(((long)(PieceCount - 1) * BlockCount(0)) + BlockCount(PieceCount - 1));

    /// <summary>
    /// Checks that a request names exactly one block of this layout. BEP 3 lets clients ask for any
    /// range; like current clients we only serve and accept aligned 16 KiB blocks.
    /// </summary>
    public BlockError Validate(BlockRequest request)
    {
        if (request.Piece < 0 || request.Piece >= PieceCount)
        {
            return BlockError.PieceOutOfRange;
        }

        var size = PieceSize(request.Piece);
        if (request.Offset < 0 || request.Offset >= size)
        {
            return BlockError.OffsetBeyondPiece;
        }

        if (request.Length > BlockLength)
        {
            return BlockError.LengthTooLarge;
        }

        if (request.Offset % BlockLength != 0)
        {
            return BlockError.Misaligned;
        }

        if (request.Length != Math.Min(BlockLength, size - request.Offset))
        {
            return BlockError.WrongLength;
        }

        return BlockError.None;
    }

    /// <summary>Throws <see cref="InvalidBlockException"/> unless the request is a block of this layout.</summary>
    public void EnsureValid(BlockRequest request)
    {
        var error = Validate(request);
        if (error != BlockError.None)
        {
            throw new InvalidBlockException(request, error);
        }
    }

    /// <summary>Index of a block inside its piece (request assumed valid).</summary>
    public static int BlockIndex(BlockRequest request) => request.Offset / BlockLength;

    private void CheckPiece(int piece)
    {
        if (piece < 0 || piece >= PieceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(piece), piece, $"piece outside 0..{PieceCount - 1}");
        }
    }
}
