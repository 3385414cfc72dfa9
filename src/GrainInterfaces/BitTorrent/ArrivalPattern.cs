namespace P2POrleans.BitTorrent;

/// <summary>When the leechers of a swarm arrive: all at once (a flash crowd) or one after another.</summary>
public enum ArrivalPattern
{
    /// <summary>Everybody at time 0: the flash crowd of a new release.</summary>
    FlashCrowd = 0,

    /// <summary>One leecher every <see cref="SwarmParameters.ArrivalIntervalSeconds"/>.</summary>
    Staggered = 1,
}
