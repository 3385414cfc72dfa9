using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// The routing procedure of section 2.2 (Table 1), one step at a time, at the node that holds the
/// message. Nodes in <c>excluded</c> (found dead, or already tried by an iterative lookup) are
/// skipped everywhere.
/// </summary>
public static class PastryRouter
{
    public static PastryRouteDecision Route(PastryRoutingState state, NodeId key, IReadOnlySet<NodeId>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var space = state.Space;
        var self = state.Id;
        if (!space.Contains(key))
        {
            throw new ArgumentOutOfRangeException(nameof(key), key, "the key is outside the id space");
        }

        // 1. Key within the leaf set's range: the numerically closest of leaves and self.
        if (state.LeafSet.IsInRange(key, excluded))
        {
            var closest = state.LeafSet.Closest(key, excluded);
            return closest == self
                ? PastryRouteDecision.Deliver(self, PastryRouteReason.LeafSet)
                : PastryRouteDecision.Forward(closest, PastryRouteReason.LeafSet);
        }

        // 2. R[l][D_l]: a node sharing one more digit with the key than we do.
        var b = state.DigitBits;
        var l = space.SharedPrefixDigits(key, self, b);
        var entry = state.RoutingTable.Get(l, space.Digit(key, l, b));
        if (entry is { } next && !IsExcluded(next, excluded))
        {
            return PastryRouteDecision.Forward(next, PastryRouteReason.RoutingTable);
        }

        // 3. Rare case: any known node with a prefix at least l long that is numerically closer
        //    than self. The paper allows any; we take the longest prefix, then the closest, so the
        //    step is deterministic and (prefix, closeness) strictly improves.
        NodeId? best = null;
        var bestPrefix = -1;
        foreach (var candidate in Candidates(state))
        {
            if (IsExcluded(candidate, excluded) || !PastryMetric.IsCloser(space, key, candidate, self))
            {
                continue;
            }

            var prefix = space.SharedPrefixDigits(key, candidate, b);
            if (prefix < l)
            {
                continue;
            }

            if (best is not { } current || prefix > bestPrefix || (prefix == bestPrefix && PastryMetric.IsCloser(space, key, candidate, current)))
            {
                best = candidate;
                bestPrefix = prefix;
            }
        }

        return best is { } rare
            ? PastryRouteDecision.Forward(rare, PastryRouteReason.RareCase)
            : PastryRouteDecision.Deliver(self, PastryRouteReason.RareCase);
    }

    private static bool IsExcluded(NodeId node, IReadOnlySet<NodeId>? excluded) => excluded is not null && excluded.Contains(node);

    private static IEnumerable<NodeId> Candidates(PastryRoutingState state)
    {
        foreach (var id in state.LeafSet.Smaller)
        {
            yield return id;
        }

        foreach (var id in state.LeafSet.Larger)
        {
            yield return id;
        }

        foreach (var entry in state.RoutingTable.Entries)
        {
            yield return entry.Node;
        }

        foreach (var id in state.NeighbourhoodSet.Members)
        {
            yield return id;
        }
    }
}
