namespace P2POrleans.BitTorrent;

/// <summary>A tracker's answer: a random subset of the other peers, and the swarm's counts.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.AnnounceResponse")]
public sealed record AnnounceResponse(
    [property: Id(0)] IReadOnlyList<PeerId> Peers,
    [property: Id(1)] int Seeders,
    [property: Id(2)] int Leechers,
    [property: Id(3)] int IntervalSeconds);
