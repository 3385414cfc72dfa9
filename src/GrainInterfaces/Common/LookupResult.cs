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
    /// <summary>
    /// Peers passed over for the owner, ahead of it among the key's successors, because their silo did
    /// not answer (not because they said they are no member): the key may be there, so a get that finds
    /// no copy says "unavailable" rather than "not found" (docs/cluster.md, "No single point of failure").
    /// </summary>
    [Id(9)] public int OwnersUnanswered { get; init; }

    public IEnumerable<NodeId> PathIds => Path.Select(h => h.Node);
}
