namespace P2POrleans.BitTorrent;

/// <summary>What a member needs to start: its role, the torrent (BEP 3 bytes) and the swarm's parameters.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmPeerConfig")]
public sealed record SwarmPeerConfig(
    [property: Id(0)] string Overlay,
    [property: Id(1)] PeerId Peer,
    [property: Id(2)] PeerBehaviour Behaviour,
    [property: Id(3)] byte[] Torrent,
    [property: Id(4)] SwarmParameters Parameters,
    [property: Id(5)] long ArrivalTick);
