using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// Where a key's copies live (PAST, the storage layer on Pastry): the k numerically closest live
/// nodes to the key. A node computes them from itself and its leaf set; with k - 1 &lt;= |L|/2 the
/// k closest to any key the node is closest to are all in its leaf set.
/// </summary>
public static class PastryReplicas
{
    /// <summary>The k closest to the key among the owner of the state and its leaves (not excluded), closest first.</summary>
    public static IReadOnlyList<NodeId> ClosestTo(PastryRoutingState state, NodeId key, int k, IReadOnlySet<NodeId>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var space = state.Space;
        var candidates = state.LeafSet.All.Where(id => excluded is null || !excluded.Contains(id)).Append(state.Id).ToList();
        candidates.Sort((a, b) => PastryMetric.Compare(space, key, a, b));
        return candidates.Count > k ? candidates.GetRange(0, k) : candidates;
    }

    /// <summary>
    /// The holders of a key's k copies among candidates (a node's leaf set and, when it is one, the
    /// node itself), the owner first. Plain: the k numerically closest. Spread (docs/durability.md): the closest
    /// candidate (the root, section 2.3) then <see cref="ReplicaPlacement.Spread{T, THost}"/> over the
    /// others in order of numeric distance. Why one silo crash loses no key: when the root's silo
    /// crashes, the new root is the closest LIVE node to the key, i.e. the closest candidate not on
    /// the root's silo, which is exactly the first greedy pick, and it holds a copy; any other crash
    /// leaves the root alive. Unknown silos count as distinct hosts. Every place that computes a
    /// replica set (store, replicate and its keep/drop rule, leave hand-off, announce, get, check)
    /// calls this one function, so they agree wherever their candidates and silos agree.
    /// </summary>
    public static IReadOnlyList<NodeId> Holders(IdSpace space, NodeId key, IEnumerable<NodeId> candidates, int k, bool spread, Func<NodeId, string?> siloOf)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(siloOf);
        var sorted = candidates.Distinct().ToList();
        sorted.Sort((a, b) => PastryMetric.Compare(space, key, a, b));
        if (!spread || sorted.Count <= 1)
        {
            return sorted.Count > k ? sorted.GetRange(0, Math.Max(0, k)) : sorted;
        }

        string Host(NodeId id) => siloOf(id) ?? "unknown:" + id.ToHex();
        var owner = sorted[0];
        return [owner, .. ReplicaPlacement.Spread(Host(owner), sorted.GetRange(1, sorted.Count - 1), Host, k)];
    }

    /// <summary><see cref="Holders(IdSpace, NodeId, IEnumerable{NodeId}, int, bool, Func{NodeId, string?})"/> over the owner of the state and its leaves.</summary>
    public static IReadOnlyList<NodeId> Holders(PastryRoutingState state, NodeId key, int k, bool spread, Func<NodeId, string?> siloOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Holders(state.Space, key, state.LeafSet.All.Append(state.Id), k, spread, siloOf);
    }

    /// <summary>
    /// The holders a converged overlay should have (ground truth for `check`): the candidates are the
    /// numerically closest live node and its ideal leaf set, the view the root itself computes from.
    /// </summary>
    public static IReadOnlyList<NodeId> IdealHolders(PastryIdIndex live, NodeId key, int k, bool spread, Func<NodeId, string?> siloOf)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (!spread)
        {
            return IdealReplicaSet(live, key, k);
        }

        var root = live.NumericallyClosest(key);
        return Holders(live.Parameters.Space, key, live.IdealSmaller(root).Concat(live.IdealLarger(root)).Append(root), k, spread, siloOf);
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
