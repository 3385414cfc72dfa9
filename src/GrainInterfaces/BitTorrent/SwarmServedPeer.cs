namespace P2POrleans.BitTorrent;

/// <summary>One member on the wire and the endpoint it listens on.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmServedPeer")]
public sealed record SwarmServedPeer(
    [property: Id(0)] PeerId Peer,
    [property: Id(1)] PeerBehaviour Behaviour,
    [property: Id(2)] string Endpoint);
