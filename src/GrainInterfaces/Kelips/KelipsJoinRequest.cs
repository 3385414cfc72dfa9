using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>Join through Bootstrap (any live peer), or start the overlay when it is null.</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsJoinRequest")]
public sealed record KelipsJoinRequest(
    [property: Id(0)] KelipsParameters Parameters,
    [property: Id(1)] string Address,
    [property: Id(2)] NodeId? Bootstrap,
    [property: Id(3)] long Round);
