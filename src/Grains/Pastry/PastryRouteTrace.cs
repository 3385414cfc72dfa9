using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// One simulated lookup: the nodes visited (start first, destination last when delivered), the
/// rule behind each step (the last one is the delivering rule), the RTT summed over the hops, and
/// how many dead nodes were tried on the way.
/// </summary>
public sealed record PastryRouteTrace(
    NodeId Start,
    NodeId Key,
    ImmutableArray<NodeId> Path,
    ImmutableArray<PastryRouteReason> Reasons,
    bool Delivered,
    double LatencyMs,
    int DeadNodesTried)
{
    public int Hops => Path.Length - 1;

    public NodeId? Destination => Delivered ? Path[^1] : null;
}
