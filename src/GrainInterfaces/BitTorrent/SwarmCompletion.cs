namespace P2POrleans.BitTorrent;

/// <summary>When a leecher finished its download (simulated seconds since it arrived, and since time 0).</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmCompletion")]
public sealed record SwarmCompletion(
    [property: Id(0)] PeerId Peer,
    [property: Id(1)] PeerBehaviour Behaviour,
    [property: Id(2)] double ArrivedAt,
    [property: Id(3)] double CompletedAt)
{
    public double DownloadSeconds => CompletedAt - ArrivedAt;
}
