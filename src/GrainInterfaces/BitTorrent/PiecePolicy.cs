namespace P2POrleans.BitTorrent;

/// <summary>Piece selection policies to compare in experiments (rarest first against random: Cohen 2003 section 2.3; docs/bittorrent.md, experiment bittorrent-pieces).</summary>
public enum PiecePolicy
{
    /// <summary>BitTorrent: strict priority, random first piece, local rarest first (random ties), endgame.</summary>
    RarestFirst,

    /// <summary>Strict priority, uniformly random piece, endgame.</summary>
    Random,

    /// <summary>Strict priority, lowest index first, endgame (a streaming-like baseline).</summary>
    Sequential,
}
