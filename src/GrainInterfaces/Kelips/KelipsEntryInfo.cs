using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>One view member or contact as a peer holds it, for `view`.</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsEntryInfo")]
public sealed record KelipsEntryInfo(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] int Group,
    [property: Id(2)] long Heartbeat,
    [property: Id(3)] double RttMs,
    [property: Id(4)] long LastRefreshRound);
