namespace P2POrleans.BitTorrent;

/// <summary>
/// What reached a member since its last tick: the batches other members sent it, and the peers its
/// own batches could not reach (they left or their silo died), whose connections it drops.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmTickInput")]
public sealed record SwarmTickInput(
    [property: Id(0)] IReadOnlyList<SwarmBatch> Batches,
    [property: Id(1)] IReadOnlyList<PeerId> Unreachable)
{
    public static SwarmTickInput Empty { get; } = new([], []);
}
