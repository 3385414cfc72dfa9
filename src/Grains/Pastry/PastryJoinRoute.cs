using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// The newcomer's side of node arrival (section 2.4; docs/pastry.md, join): ping a few members and
/// take the nearest (A); A routes a join message with key X (driven from the newcomer, iteratively);
/// every node on the route gives its rows, the last (Z) its leaf set, A its neighbourhood set; the
/// state is assembled by <see cref="PastryJoin.BuildState"/>.
/// </summary>
public sealed class PastryJoinRoute
{
    private const int NearbyProbes = 4;

    private readonly PeerCalls<IPastryPeerGrain> _calls;

    public PastryJoinRoute(PeerCalls<IPastryPeerGrain> calls) => _calls = calls;

    /// <summary>The routing state of the newcomer <paramref name="self"/>, joining through the <paramref name="candidates"/> (members, not itself).</summary>
    public async Task<PastryRoutingState> BuildStateAsync(NodeId self, PastryParameters parameters, NetworkModel network, IReadOnlyList<NodeId> candidates)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(candidates);
        NodeId? nearby = null;
        foreach (var candidate in candidates.Take(NearbyProbes))
        {
            if (await _calls.TryAsync(candidate, null, p => p.PingAsync()) && (nearby is not { } best || network.Rtt(self, candidate) < network.Rtt(self, best)))
            {
                nearby = candidate;
            }
        }

        if (nearby is not { } a)
        {
            throw new P2PException("join failed: none of the members asked to bootstrap answered");
        }

        var dead = new HashSet<NodeId>();
        var route = new List<PastryJoinRows>();
        PastryLeafSetSnapshot? closest = null;
        var current = a;
        var maxSteps = PastryLookup.MaxSteps(parameters);
        while (route.Count <= maxSteps)
        {
            var asked = await _calls.CallAsync(current, "join", p => p.JoinStepAsync(self, [.. dead]));
            if (!asked.Ok)
            {
                dead.Add(current);
                if (route.Count == 0)
                {
                    throw new P2PException($"join failed: the bootstrap {parameters.Space.Format(current)} died");
                }

                current = route[^1].From;
                route.RemoveAt(route.Count - 1);
                continue;
            }

            var step = asked.Value!;
            route.Add(step.Rows);
            if (step.Decision.IsDelivery || route.Exists(r => r.From == step.Decision.Node))
            {
                closest = step.LeafSet ?? (await _calls.CallAsync(current, null, p => p.GetLeafSetAsync())).Value;
                break;
            }

            current = step.Decision.Node;
        }

        // When A died after routing, the route and Z's leaf set are enough to start with.
        var neighbourhood = (await _calls.CallAsync(a, null, p => p.GetNeighbourhoodAsync())).Value;

        return PastryJoin.BuildState(self, parameters, network.Rtt, route, closest, neighbourhood, dead);
    }
}
