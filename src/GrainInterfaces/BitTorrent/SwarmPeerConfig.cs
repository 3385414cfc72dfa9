namespace P2POrleans.BitTorrent;

/// <summary>What a member needs to start: its role, the torrent (BEP 3 bytes) and the swarm's parameters.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmPeerConfig")]
public sealed record SwarmPeerConfig(
    [property: Id(0)] string Overlay,
    [property: Id(1)] PeerId Peer,
    [property: Id(2)] PeerBehaviour Behaviour,
    [property: Id(3)] byte[] Torrent,
    [property: Id(4)] SwarmParameters Parameters,
    [property: Id(5)] long ArrivalTick)
{
    /// <summary>Set: the member runs on real time and speaks BEP 3 over TCP (not the simulated ticks).</summary>
    [Id(6)] public SwarmWireConfig? Wire { get; init; }
}
