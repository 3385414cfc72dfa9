using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// Where a key's copies live (PAST, the storage layer on Pastry): the k numerically closest live
/// nodes to the key. A node computes them from itself and its leaf set; with k - 1 &lt;= |L|/2 the
/// k closest to any key the node is closest to are all in its leaf set.
/// </summary>
public static class PastryReplicas
{
    /// <summary>The k closest to the key among the owner of the state and its leaves (not excluded), closest first.</summary>
    public static IReadOnlyList<NodeId> ClosestTo(PastryNodeState state, NodeId key, int k, IReadOnlySet<NodeId>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var space = state.Space;
        var candidates = state.LeafSet.All.Where(id => excluded is null || !excluded.Contains(id)).Append(state.Id).ToList();
        candidates.Sort((a, b) => PastryMetric.Compare(space, key, a, b));
        return candidates.Count > k ? candidates.GetRange(0, k) : candidates;
    }

    /// <summary>The k closest to the key among a live membership (ground truth), closest first.</summary>
    public static IReadOnlyList<NodeId> IdealReplicaSet(PastryIdIndex live, NodeId key, int k)
    {
        ArgumentNullException.ThrowIfNull(live);
        var closest = live.NumericallyClosest(key);
        var space = live.Parameters.Space;
        var pool = new List<NodeId> { closest };
        pool.AddRange(live.IdealSmaller(closest).Take(k));
        pool.AddRange(live.IdealLarger(closest).Take(k));
        var distinct = pool.Distinct().ToList();
        distinct.Sort((a, b) => PastryMetric.Compare(space, key, a, b));
        return distinct.Count > k ? distinct.GetRange(0, k) : distinct;
    }
}
