namespace P2POrleans.Unstructured;

/// <summary>
/// The traced outcome of one search, the same for the three systems so their costs compare:
/// hits (with the path back), the peers that processed the query (the searcher included), the
/// messages sent on every link because of it, and the hops the first answer travelled.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.QueryOutcome")]
public sealed record QueryOutcome(
    [property: Id(0)] string Protocol,
    [property: Id(1)] string Query,
    [property: Id(2)] int Origin,
    [property: Id(3)] int Ttl,
    [property: Id(4)] IReadOnlyList<FoundFile> Hits,
    [property: Id(5)] IReadOnlyList<int> Reached,
    [property: Id(6)] DescriptorCounts Messages,
    [property: Id(7)] int? HopsToFirstHit,
    [property: Id(8)] string? Error)
{
    /// <summary>The flood round by round (wave 0: the origin and what it sent); empty for Napster, which has no flood.</summary>
    [Id(9)] public IReadOnlyList<FloodWave> Waves { get; init; } = [];

    public bool Success => Error is null;

    public long MessageCount => Messages.Total;
}
