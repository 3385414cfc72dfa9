using P2POrleans.BitTorrent.Choking;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// One BEP 3 connection as seen from our side: the four choke/interest flags (both ends start
/// choked and not interested), rates both ways, and the requests the remote peer sent us.
/// </summary>
public sealed class SwarmConnection(PeerId id, double now, double rttMs)
{
    public PeerId Id { get; } = id;

    public double ConnectedAt { get; } = now;

    /// <summary>Simulated round-trip time to the peer (NetworkModel), in milliseconds.</summary>
    public double RttMs { get; } = rttMs;

    public bool AmChoking { get; set; } = true;

    public bool AmInterested { get; set; }

    public bool PeerChoking { get; set; } = true;

    public bool PeerInterested { get; set; }

    public RateEstimator Down { get; } = new(RateEstimator.DefaultWindowSeconds, now);

    public RateEstimator Up { get; } = new(RateEstimator.DefaultWindowSeconds, now);

    /// <summary>Blocks the peer asked us for, in arrival order, not yet sent.</summary>
    public List<BlockRequest> Requests { get; } = [];

    public double LastSentAt { get; set; } = now;
}
