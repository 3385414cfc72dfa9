namespace P2POrleans.Kelips;

/// <summary>One affinity group against the truth: members, files hashed to it, and how complete its members' state is.</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsGroupSummary")]
public sealed record KelipsGroupSummary(
    [property: Id(0)] int Group,
    [property: Id(1)] int Members,
    [property: Id(2)] int Files,
    [property: Id(3)] double ViewCompleteness,
    [property: Id(4)] int CompleteViews,
    [property: Id(5)] double FileTupleCoverage,
    [property: Id(6)] double MeanViewEntries);
