namespace P2POrleans.BitTorrent;

/// <summary>A swarm on the wire: the HTTP tracker's announce URL and where each member listens.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmServeInfo")]
public sealed record SwarmServeInfo(
    [property: Id(0)] string AnnounceUrl,
    [property: Id(1)] IReadOnlyList<SwarmServedPeer> Peers);
