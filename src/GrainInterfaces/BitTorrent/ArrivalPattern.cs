namespace P2POrleans.BitTorrent;

/// <summary>When the leechers of a swarm arrive (Legout et al. 2006 study both).</summary>
public enum ArrivalPattern
{
    /// <summary>Everybody at time 0: the flash crowd of a new release.</summary>
    FlashCrowd = 0,

    /// <summary>One leecher every <see cref="SwarmParameters.ArrivalIntervalSeconds"/>.</summary>
    Staggered = 1,
}
