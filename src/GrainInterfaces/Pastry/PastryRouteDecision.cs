using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// One routing step: deliver here (<see cref="Node"/> is this node) or forward to <see cref="Node"/>,
/// with the rule that decided it. Returned by a hop to the initiator of an iterative lookup.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.RouteDecision")]
public readonly record struct PastryRouteDecision(
    [property: Id(0)] PastryRouteAction Action,
    [property: Id(1)] NodeId Node,
    [property: Id(2)] PastryRouteReason Reason)
{
    public bool IsDelivery => Action == PastryRouteAction.Deliver;

    public static PastryRouteDecision Deliver(NodeId self, PastryRouteReason reason) => new(PastryRouteAction.Deliver, self, reason);

    public static PastryRouteDecision Forward(NodeId next, PastryRouteReason reason) => new(PastryRouteAction.Forward, next, reason);
}
