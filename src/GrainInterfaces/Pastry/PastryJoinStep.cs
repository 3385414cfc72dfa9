namespace P2POrleans.Pastry;

/// <summary>
/// A route node's answer to a join message for X (section 2.4): its rows valid for X, its routing
/// decision for key X, and, when it is Z (the decision is a delivery), its leaf set.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.JoinStep")]
public sealed record PastryJoinStep(
    [property: Id(0)] PastryJoinRows Rows,
    [property: Id(1)] PastryRouteDecision Decision,
    [property: Id(2)] PastryLeafSetSnapshot? LeafSet);
