using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// find_successor (Chord figure 5; docs/chord.md, lookups): iterative, driven by the initiator over
/// the shared lookup walk (<see cref="LookupWalk"/>), or recursive, each peer forwarding the query
/// itself. Peers that do not answer are dead hops: skipped for the rest of the lookup, and
/// forgotten by the asker as the call policy says (<see cref="PeerCalls{TPeer}.ShouldForget"/>).
/// </summary>
public static class ChordLookup
{
    /// <summary>
    /// Hops a recursive query is given: each forwarder waits one per-call timeout per hop that may
    /// still follow, so the peer just before a hung one gives up first and routes around it.
    /// </summary>
    private const int RecursiveHopBudget = 32;

    /// <summary>A client's lookup from this node in the overlay's mode, traced as one "chord.lookup" span.</summary>
    public static async Task<LookupResult> LookupAsync(ChordNode node, string overlay, NodeId key, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.Space.Contains(key))
        {
            throw new P2PException($"key id does not fit in {node.Space.Bits} bits");
        }

        var tracing = P2PTelemetry.Tracing;
        using var activity = tracing ? P2PTelemetry.StartLookup(ChordParameters.Name, overlay, keyText ?? node.Space.Format(key), node.Space.Format(node.Self)) : null;
        var result = node.Parameters.Mode == ChordMode.Recursive
            ? await RecursiveAsync(node, key)
            : await IterativeAsync(node, key, node.Self, verifyOwner: true, traced: true);
        P2PTelemetry.CompleteLookup(activity, ChordParameters.Name, result.Hops, result.LatencyMs, activity is null ? "" : node.Space.Format(result.Owner), result.Success);
        return result;
    }

    /// <summary>
    /// Iterative find_successor driven by this node, starting at <paramref name="start"/>. Hops counts
    /// the peers asked for a next step, the initiator excluded; the owner answered by the last of them
    /// is not counted, as in the paper's path length (the number of nodes traversed to find the
    /// predecessor of the key). With <paramref name="verifyOwner"/> the owner is the first of the
    /// key's successors that answers a ping.
    /// </summary>
    public static async Task<LookupResult> IterativeAsync(ChordNode node, NodeId key, NodeId start, bool verifyOwner, bool traced)
    {
        ArgumentNullException.ThrowIfNull(node);
        var self = node.Self;
        var walk = new LookupWalk(ChordParameters.Name, key, self, traced, traced ? P2PTelemetry.LookupKind : P2PTelemetry.MaintenanceKind);
        var path = walk.Path;
        var maxSteps = (2 * node.Space.Bits) + 64;
        var current = start;
        if (start != self)
        {
            path.Add(new Hop(start, node.Network.Rtt(self, start), "bootstrap"));
        }

        while (path.Count <= maxSteps)
        {
            ChordNextStep step;
            if (current == self)
            {
                step = node.FindNext(key, walk.Dead);
            }
            else
            {
                IReadOnlyList<NodeId> dead = walk.Dead.Count == 0 ? [] : walk.Dead.ToArray();
                var asked = current;
                var answer = await walk.AskAsync(current, walk.Traced && P2PTelemetry.Tracing ? node.Space.Format(current) : "", path.Count - 1, node.Network.Rtt(self, current),
                    () => node.Calls.CallAsync(asked, "find_next", p => p.FindNextAsync(key, dead), walk.Kind));
                if (!answer.Ok)
                {
                    path.RemoveAt(path.Count - 1);
                    if (path.Count == 1 && start != self)
                    {
                        return walk.Fail($"peer {node.Space.Format(start)} is unreachable");
                    }

                    current = path[^1].Node;
                    continue;
                }

                step = answer.Value!;
            }

            if (step.IsOwner)
            {
                var owner = verifyOwner ? await FirstLiveAsync(node, step, walk) : step.Node;
                return owner is { } o ? walk.Succeed(o) : walk.Fail("every known successor of the key is unreachable");
            }

            if (OnPath(path, step.Node))
            {
                return walk.Fail("routing loop");
            }

            current = step.Node;
            path.Add(new Hop(current, node.Network.Rtt(self, current), "closest preceding"));
        }

        return walk.Fail("too many hops");
    }

    /// <summary>Recursive find_successor from this node: only its own step is walked here, the rest of the route comes back as hops.</summary>
    public static async Task<LookupResult> RecursiveAsync(ChordNode node, NodeId key)
    {
        ArgumentNullException.ThrowIfNull(node);
        var walk = new LookupWalk(ChordParameters.Name, key, node.Self);
        while (true)
        {
            var step = node.FindNext(key, walk.Dead);
            if (step.IsOwner)
            {
                var messages = walk.Messages;
                var owner = await FirstLiveAsync(node, step, walk);
                walk.Messages = messages; // the pings that verify a local owner are not hops of the route
                return owner is { } o ? walk.Succeed(o) : walk.Fail("every known successor of the key is unreachable");
            }

            var rest = await node.Calls.CallAsync(step.Node, "route", p => p.RouteAsync(key, 1, node.Self), P2PTelemetry.LookupKind, RecursiveNested(0));
            if (rest.Ok)
            {
                // The route's last hop names the owner; the hops before it are the peers the query went through.
                var hops = new List<Hop> { new(node.Self, 0, "initiator"), new(step.Node, node.Network.Rtt(node.Self, step.Node), "closest preceding") };
                var rtt = hops[1].RttMs;
                var route = rest.Value!;
                for (; route.Rest is not null; route = route.Rest)
                {
                    hops.Add(route.Hop);
                    rtt += route.Hop.RttMs;
                }

                return new LookupResult(key, route.Hop.Node, hops.Count - 1, hops, rtt, true, null, hops.Count - 1, walk.DeadSkipped);
            }

            walk.MarkDead(null, step.Node, rest.Fault);
        }
    }

    /// <summary>A recursive query at this node: forward it to the closest preceding live peer, or answer the owner.</summary>
    public static async Task<ChordRoute> RouteAsync(ChordNode node, NodeId key, int hopIndex, NodeId initiator)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var hop = P2PTelemetry.Tracing ? P2PTelemetry.StartHop(ChordParameters.Name, hopIndex, node.Space.Format(node.Self)) : null;
        HashSet<NodeId>? dead = null; // made only when a peer on the way does not answer
        while (true)
        {
            var step = node.FindNext(key, (IReadOnlyCollection<NodeId>?)dead ?? []);
            if (step.IsOwner)
            {
                return new ChordRoute(new Hop(step.Node, 0, "owner"), null);
            }

            var rest = await node.Calls.CallAsync(step.Node, "route", p => p.RouteAsync(key, hopIndex + 1, initiator), P2PTelemetry.LookupKind, RecursiveNested(hopIndex));
            if (rest.Ok)
            {
                return new ChordRoute(new Hop(step.Node, node.Network.Rtt(node.Self, step.Node), "closest preceding"), rest.Value);
            }

            (dead ??= []).Add(step.Node);
        }
    }

    private static bool OnPath(List<Hop> path, NodeId node)
    {
        foreach (var hop in path)
        {
            if (hop.Node == node)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Nested timeouts a recursive forward at this hop may need (one per hop that may still follow).</summary>
    private static int RecursiveNested(int hopIndex) => Math.Max(1, RecursiveHopBudget - hopIndex);

    /// <summary>
    /// The first successor of the key that answers a ping (the owner among live peers). Those passed over
    /// because their silo did not answer are counted: the key may live there (<see cref="LookupResult.OwnersUnanswered"/>).
    /// </summary>
    private static async Task<NodeId?> FirstLiveAsync(ChordNode node, ChordNextStep step, LookupWalk walk)
    {
        foreach (var candidate in step.Successors.Prepend(step.Node).Distinct())
        {
            if (walk.Dead.Contains(candidate))
            {
                walk.OwnersUnanswered += walk.Unanswered.Contains(candidate) ? 1 : 0;
                continue;
            }

            if (candidate == node.Self)
            {
                return candidate;
            }

            walk.Messages++;
            var ping = await node.Calls.CallAsync(candidate, "ping", p => p.PingAsync(), walk.Kind);
            if (ping.Ok)
            {
                return candidate;
            }

            walk.Dead.Add(candidate);
            if (ping.Fault is PeerFault.SiloUnreachable or PeerFault.TimedOut)
            {
                walk.Unanswered.Add(candidate);
                walk.OwnersUnanswered++;
            }
        }

        return null;
    }
}
