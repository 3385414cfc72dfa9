using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// Routing a key from one peer to its root (Rowstron and Druschel section 2.3; docs/pastry.md,
/// routing modes): iteratively, the initiator asking each hop for its next step, or recursively,
/// each hop forwarding the message itself. Decisions come from <see cref="PastryRouter"/>; messages go
/// through the call policy, so a hop that does not answer is routed around like a crashed one.
/// </summary>
public sealed class PastryLookup
{
    /// <summary>Hops a recursive route is given: each forwarder waits one per-call timeout per hop that may still follow.</summary>
    private const int RecursiveHopBudget = 32;

    /// <summary>Steps beyond one per routing-table row before a route is taken for a loop.</summary>
    private const int ExtraSteps = 64;

    private readonly PeerCalls<IPastryPeerGrain> _calls;

    public PastryLookup(PeerCalls<IPastryPeerGrain> calls) => _calls = calls;

    /// <summary>The most hops a route may take before it is given up.</summary>
    public static int MaxSteps(PastryParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Rows + ExtraSteps;
    }

    /// <summary>The lookup of <paramref name="key"/> from <paramref name="node"/>, in the overlay's routing mode.</summary>
    public Task<LookupResult> RunAsync(PastryNode node, NodeId key)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Parameters.Mode == PastryMode.Recursive ? RecursiveAsync(node, key) : IterativeAsync(node, key);
    }

    /// <summary>
    /// Iterative routing driven by the initiator: it asks each hop for its next step; a hop that does
    /// not answer is excluded and the previous one asked again. Hops counts the peers asked besides
    /// the initiator; the last of them delivers (it is the owner).
    /// </summary>
    public async Task<LookupResult> IterativeAsync(PastryNode node, NodeId key)
    {
        ArgumentNullException.ThrowIfNull(node);
        var self = node.Self;
        var walk = new LookupWalk(PastryParameters.Name, key, self);
        var path = walk.Path;
        var maxHops = MaxSteps(node.Parameters);
        var decision = PastryRouter.Route(node.State, key);
        while (!decision.IsDelivery)
        {
            if (path.Count > maxHops || path.Exists(h => h.Node == decision.Node))
            {
                return walk.Fail(path.Count > maxHops ? "too many hops" : "routing loop");
            }

            var next = decision.Node;
            var rtt = node.Network.Rtt(self, next);
            var dead = walk.Dead.ToList();
            var answer = await walk.AskAsync(next, node.Space.Format(next), path.Count, rtt,
                () => _calls.CallAsync(next, "route_step", p => p.RouteStepAsync(key, dead), walk.Kind));
            if (answer.Ok)
            {
                path.Add(new Hop(next, rtt, ReasonText(decision.Reason)));
                decision = answer.Value!;
                continue;
            }

            // Ask the previous hop again, with the dead node excluded.
            var previous = path[^1].Node;
            if (previous == self)
            {
                decision = PastryRouter.Route(node.State, key, walk.Dead);
                continue;
            }

            var excluded = walk.Dead.ToList();
            var again = await _calls.CallAsync(previous, null, p => p.RouteStepAsync(key, excluded));
            if (!again.Ok)
            {
                return walk.Fail($"peer {node.Space.Format(previous)} died during the lookup");
            }

            decision = again.Value!;
        }

        // Peers routed around because their silo did not answer and numerically closer to the key than
        // the root: the key may live there (a durable peer comes back with it).
        var root = path[^1].Node;
        walk.OwnersUnanswered = walk.Unanswered.Count(n => node.Space.RingDistance(n, key) < node.Space.RingDistance(root, key));
        return walk.Succeed(root);
    }

    /// <summary>Recursive routing from the initiator: the path is what the forwarders return.</summary>
    public async Task<LookupResult> RecursiveAsync(PastryNode node, NodeId key)
    {
        ArgumentNullException.ThrowIfNull(node);
        var start = new Hop(node.Self, 0, "initiator");
        try
        {
            var rest = await ForwardAsync(node, key, 0);
            var path = new List<Hop> { start };
            path.AddRange(rest);
            return new LookupResult(key, path[^1].Node, path.Count - 1, path, rest.Sum(h => h.RttMs), true, null, path.Count - 1, 0);
        }
        catch (P2PException e)
        {
            return new LookupResult(key, NodeId.Zero, 0, [start], 0, false, e.Message, 0, 0);
        }
    }

    /// <summary>Recursive routing from this node: the hops after it (empty when it delivers).</summary>
    public async Task<IReadOnlyList<Hop>> ForwardAsync(PastryNode node, NodeId key, int hopIndex)
    {
        ArgumentNullException.ThrowIfNull(node);
        var dead = new HashSet<NodeId>();
        while (true)
        {
            var decision = PastryRouter.Route(node.State, key, dead.Count == 0 ? null : dead);
            if (decision.IsDelivery)
            {
                return [];
            }

            var rest = await _calls.CallAsync(decision.Node, "route", p => p.RouteAsync(key, hopIndex + 1), P2PTelemetry.LookupKind, Math.Max(1, RecursiveHopBudget - hopIndex));
            if (rest.Ok)
            {
                return [new Hop(decision.Node, node.Network.Rtt(node.Self, decision.Node), ReasonText(decision.Reason)), .. rest.Value!];
            }

            dead.Add(decision.Node);

            if (hopIndex > MaxSteps(node.Parameters))
            {
                throw new P2PException("routing loop");
            }
        }
    }

    /// <summary>The table a routing decision came from, as a hop of the path names it.</summary>
    public static string ReasonText(PastryRouteReason reason) => reason switch
    {
        PastryRouteReason.LeafSet => "leaf set",
        PastryRouteReason.RoutingTable => "routing table",
        _ => "rare case",
    };
}
