using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A lookup and the fetch that follows it. <see cref="Lookup"/> counts the peers asked for the
/// filetuple (Owner = home node); the fetch from the home node is reported apart (not a routing hop).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsLookupResult")]
public sealed record KelipsLookupResult(
    [property: Id(0)] string FileName,
    [property: Id(1)] int FileGroup,
    [property: Id(2)] LookupResult Lookup,
    [property: Id(3)] bool Fetched,
    [property: Id(4)] string? Content,
    [property: Id(5)] double FetchRttMs)
{
    public double TotalLatencyMs => Lookup.LatencyMs + FetchRttMs;

    /// <summary>The home node was found but its silo did not answer the fetch: the file is unavailable for now, not missing.</summary>
    [Id(6)] public bool HomeUnreachable { get; init; }
}
