namespace P2POrleans.BitTorrent.Storage;

/// <summary>What receiving a block did to the store.</summary>
public enum BlockOutcome
{
    /// <summary>Kept; its piece is still incomplete.</summary>
    Stored,

    /// <summary>Already had this block or its whole piece (e.g. an endgame duplicate); ignored.</summary>
    Duplicate,

    /// <summary>The block completed its piece and the piece's SHA-1 matched: the piece is held.</summary>
    PieceVerified,

    /// <summary>The block completed its piece and the SHA-1 did not match: the piece was discarded.</summary>
    PieceFailed,
}
