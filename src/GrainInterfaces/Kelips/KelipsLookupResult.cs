using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A lookup and the fetch that follows it. <see cref="Lookup"/> lists every peer asked for the
/// filetuple (its Hops and Messages count them, dead ones included; Owner = home node);
/// <see cref="PathLength"/> is the route to the answer, the hops Kelips section 2.2 means: 0 when
/// the initiator's own group holds the tuple, 1 through one of its contacts in the file's group,
/// 2 through a group mate's contact (0 for a failed lookup). The fetch from the home node is
/// reported apart (not a routing hop).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsLookupResult")]
public sealed record KelipsLookupResult(
    [property: Id(0)] string FileName,
    [property: Id(1)] int FileGroup,
    [property: Id(2)] LookupResult Lookup,
    [property: Id(3)] bool Fetched,
    [property: Id(4)] string? Content,
    [property: Id(5)] double FetchRttMs,
    [property: Id(7)] int PathLength = 0)
{
    public double TotalLatencyMs => Lookup.LatencyMs + FetchRttMs;

    /// <summary>The home node was found but its silo did not answer the fetch: the file is unavailable for now, not missing.</summary>
    [Id(6)] public bool HomeUnreachable { get; init; }
}
