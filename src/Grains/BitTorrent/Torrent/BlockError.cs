namespace P2POrleans.BitTorrent.Torrent;

/// <summary>Why a request or a received block was refused.</summary>
public enum BlockError
{
    None,
    PieceOutOfRange,
    OffsetBeyondPiece,
    LengthTooLarge,
    Misaligned,
    WrongLength,
    DataLengthMismatch,
}
