using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// Runs the router hop by hop over a set of node states, as an iterative lookup would (docs/pastry.md,
/// routing modes): a hop that turns out dead is added to the lookup's excluded set and the previous
/// node is asked again. For tests, benchmarks and experiments (mean hops, stretch).
/// </summary>
public static class PastryRouteTracer
{
    /// <param name="stateOf">The state of a live node, or null for a dead or unknown one.</param>
    /// <param name="rtt">RTT for <see cref="PastryRouteTrace.LatencyMs"/>; null counts 0 per hop.</param>
    public static PastryRouteTrace Trace(
        Func<NodeId, PastryRoutingState?> stateOf,
        NodeId start,
        NodeId key,
        int maxHops = 64,
        Func<NodeId, NodeId, double>? rtt = null)
    {
        ArgumentNullException.ThrowIfNull(stateOf);
        var path = ImmutableArray.CreateBuilder<NodeId>();
        var reasons = ImmutableArray.CreateBuilder<PastryRouteReason>();
        HashSet<NodeId>? excluded = null;
        var latency = 0.0;
        var dead = 0;
        var current = start;
        var state = stateOf(start) ?? throw new ArgumentException("the start node is not live", nameof(start));
        path.Add(start);
        while (path.Count <= maxHops + 1)
        {
            var decision = PastryRouter.Route(state, key, excluded);
            if (decision.IsDelivery)
            {
                reasons.Add(decision.Reason);
                return new PastryRouteTrace(start, key, path.ToImmutable(), reasons.ToImmutable(), true, latency, dead);
            }

            if (stateOf(decision.Node) is not { } next)
            {
                (excluded ??= []).Add(decision.Node);
                dead++;
                continue;
            }

            reasons.Add(decision.Reason);
            latency += rtt?.Invoke(current, decision.Node) ?? 0;
            current = decision.Node;
            state = next;
            path.Add(current);
        }

        return new PastryRouteTrace(start, key, path.ToImmutable(), reasons.ToImmutable(), false, latency, dead);
    }

    /// <summary>Mean hop count of the delivered lookups (NaN when none was delivered).</summary>
    public static double MeanHops(IEnumerable<PastryRouteTrace> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var delivered = traces.Where(t => t.Delivered).ToList();
        return delivered.Count == 0 ? double.NaN : delivered.Average(t => t.Hops);
    }
}
