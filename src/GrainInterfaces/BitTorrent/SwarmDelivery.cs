namespace P2POrleans.BitTorrent;

/// <summary>
/// What the network of a swarm on simulated time hands a member after a tick: the batches other
/// members sent it (handled in its next tick), and the peers its own batches could not reach (they
/// left or their silo died), whose connections it drops at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmDelivery")]
public sealed record SwarmDelivery(
    [property: Id(0)] IReadOnlyList<SwarmBatch> Batches,
    [property: Id(1)] IReadOnlyList<PeerId> Unreachable)
{
    public static SwarmDelivery Empty { get; } = new([], []);
}
