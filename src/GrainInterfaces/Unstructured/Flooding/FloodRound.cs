namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// One round of a flood run by its originator: every link takes one round (equal latencies), so
/// the first copy of a descriptor reaches each peer along a shortest path, as in the spec's model.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.FloodRound")]
public sealed record FloodRound(
    [property: Id(0)] Guid Flood,
    [property: Id(1)] int Round,
    [property: Id(2)] TimeSpan Now,
    [property: Id(3)] Guid OriginId,
    [property: Id(4)] byte OriginType);
