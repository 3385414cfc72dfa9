namespace P2POrleans.Common;

/// <summary>
/// The outcome of a lookup. <see cref="Hops"/> counts the peers other than the initiator that were
/// asked for the next step (Path without the initiator); <see cref="Path"/> starts with the initiator.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.LookupResult")]
public sealed record LookupResult(
    [property: Id(0)] NodeId Key,
    [property: Id(1)] NodeId Owner,
    [property: Id(2)] int Hops,
    [property: Id(3)] IReadOnlyList<Hop> Path,
    [property: Id(4)] double LatencyMs,
    [property: Id(5)] bool Success,
    [property: Id(6)] string? Error,
    [property: Id(7)] int Messages,
    [property: Id(8)] int DeadHopsSkipped)
{
    public IEnumerable<NodeId> PathIds => Path.Select(h => h.Node);
}
