using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>One peer measured against the ground truth of its group (live members, live files).</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsPeerCheck")]
public sealed record KelipsPeerCheck(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] int Group,
    [property: Id(2)] double ViewCompleteness,
    [property: Id(3)] int StaleViewEntries,
    [property: Id(4)] double FileTupleCoverage,
    [property: Id(5)] IReadOnlyList<NodeId> Contacts,
    [property: Id(6)] KelipsPeerCounters Counters);
