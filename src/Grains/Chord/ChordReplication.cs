using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Where the copies of keys go (ToN section 5.2, replication; docs/chord.md): an owner writes each
/// new key to its replica targets, re-copies its keys whenever they or its successors changed,
/// and hands keys that lie ahead of it to the successor that owns them.
/// </summary>
public static class ChordReplication
{
    /// <summary>
    /// The owner of a key just stored copies it to its replica targets (the next replicas - 1
    /// successors, or spread over silos) before it answers; the peers that hold it, the owner first.
    /// </summary>
    public static async Task<IReadOnlyList<NodeId>> CopyAsync(ChordNode node, StoredItem item)
    {
        ArgumentNullException.ThrowIfNull(node);
        var stored = new List<NodeId> { node.Self };
        foreach (var s in node.ReplicaTargets())
        {
            if (await node.Calls.TryAsync(s, "replicate", p => p.StoreReplicasAsync([item])))
            {
                stored.Add(s);
            }
        }

        return stored;
    }

    /// <summary>
    /// Keys whose owner we are, i.e. in (predecessor, n], are copied to the replica targets whenever
    /// the keys or the successor list changed (ToN section 5.2, replication). Keys we hold that lie
    /// ahead of us are handed forward to the successor that owns them.
    /// </summary>
    public static async Task ReplicateAsync(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var version = node.Store.Version;
        var targets = node.Parameters.Replicas > 1 ? node.ReplicaTargets() : [];
        if (node.ReplicatedVersion == version && node.ReplicatedTargets.SequenceEqual(targets))
        {
            return;
        }

        var allOk = await HandOffKeysAheadAsync(node);
        if (node.Parameters.Replicas > 1)
        {
            if (node.Predecessor is not { } pred)
            {
                return; // our range is unknown until a predecessor notifies us; try again next round
            }

            var primary = node.Store.InRange(node.Space, pred, node.Self);
            foreach (var s in targets)
            {
                allOk &= primary.Count == 0 || await node.Calls.TryAsync(s, "replicate", p => p.StoreReplicasAsync(primary));
            }
        }

        if (node.IsMember && allOk)
        {
            node.ReplicatedVersion = version;
            node.ReplicatedTargets = targets;
        }
    }

    /// <summary>
    /// Under churn a key can end up only at nodes before it: a notify hands a new predecessor every
    /// key outside (candidate, n], and the holders after the key may crash before its owner had a
    /// copy. Pushing replication alone never moves such a key forward again (the soak lost 9 of 200
    /// keys with 10% of peers replaced per round). So each key in (n, s_i] is offered to s_i, its
    /// owner as far as we know, which then replicates it (DHash's global maintenance, in short).
    /// Copies are kept: an extra copy costs memory, a wrong deletion would lose the key.
    /// </summary>
    private static async Task<bool> HandOffKeysAheadAsync(ChordNode node)
    {
        var allOk = true;
        var from = node.Self;
        foreach (var s in node.Successors.Nodes.ToList())
        {
            if (s == node.Self || !node.IsMember)
            {
                break;
            }

            var ahead = node.Store.InRange(node.Space, from, s);
            if (ahead.Count > 0)
            {
                allOk &= await node.Calls.TryAsync(s, "handoff", p => p.StoreReplicasAsync(ahead));
            }

            from = s;
        }

        return allOk;
    }
}
