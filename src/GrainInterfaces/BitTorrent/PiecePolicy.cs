namespace P2POrleans.BitTorrent;

/// <summary>Piece selection policies to compare in experiments (Legout et al. 2006 compare rarest first with random).</summary>
public enum PiecePolicy
{
    /// <summary>BitTorrent: strict priority, random first piece, local rarest first (random ties), endgame.</summary>
    RarestFirst,

    /// <summary>Strict priority, uniformly random piece, endgame.</summary>
    Random,

    /// <summary>Strict priority, lowest index first, endgame (a streaming-like baseline).</summary>
    Sequential,
}
