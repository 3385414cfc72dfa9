namespace P2POrleans.BitTorrent;

/// <summary>How a swarm member behaves.</summary>
public enum PeerBehaviour
{
    /// <summary>Holds the whole file from the start and only uploads.</summary>
    Seed = 0,

    /// <summary>Downloads and uploads by the rules (tit for tat).</summary>
    Leecher = 1,

    /// <summary>Downloads but never unchokes anyone, so never uploads.</summary>
    FreeRider = 2,

    /// <summary>A leecher that flips a byte in every block it uploads (tests hash checks and bans).</summary>
    Corrupter = 3,
}
