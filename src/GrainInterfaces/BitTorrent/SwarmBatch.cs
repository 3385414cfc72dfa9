using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent;

/// <summary>
/// Everything <paramref name="From"/> sent <paramref name="To"/> in its tick <paramref name="Tick"/>, in
/// order (a TCP segment's worth, with the real block bytes). On simulated time the swarm's driver
/// carries it: out in the sender's tick report, in with the receiver's next tick (docs/bittorrent.md,
/// "Simulated time and the bandwidth model"). Immutable, so inside one silo no byte is copied.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmBatch")]
public sealed record SwarmBatch(
    [property: Id(0)] PeerId From,
    [property: Id(1)] PeerId To,
    [property: Id(2)] long Tick,
    [property: Id(3)] IReadOnlyList<PeerMessage> Messages);
