using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Where the copies of keys go (ToN section 5.2, replication; docs/chord.md): an owner writes each
/// new key to its replica targets, re-copies its keys whenever they or its successors changed,
/// hands keys that lie ahead of it to the successor that owns them, and a peer drops the copies it
/// no longer holds for anyone once their holders confirmed them.
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
    /// The copy stays here until <see cref="DropCopiesHeldElsewhereAsync"/> confirms it at all its holders.
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

    /// <summary>
    /// A key lives at its successor and the next r - 1 successors (ToN section 5.2; with spread
    /// replicas, the owner's spread targets). Joins move those places, so a peer ends up holding
    /// copies of keys it is no longer a place of: kept forever, a ring of 150 peers grew from 4,014
    /// copies of 500 keys to 63,346 over eight rolling restarts (docs/cluster.md). A peer therefore
    /// asks the owners of the other keys it holds for their neighbours: the successors for keys
    /// ahead, the predecessors walked back one range at a time for keys behind (r - 1 questions in a
    /// converged ring), a lookup for anything further. A range whose places include us is kept;
    /// otherwise it is written to the owner and every replica target first and dropped only when all
    /// of them took it, so the cleanup never leaves fewer copies than before. An owner that does not
    /// answer (its silo is down: a durable peer comes back) keeps every copy where it is. Once all
    /// copies were found in place the check waits until our keys, predecessor or successors move, or
    /// a successor list's length of rounds passed: in a quiet ring it costs (r - 1) / L messages a round.
    /// </summary>
    public static async Task DropCopiesHeldElsewhereAsync(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.CopiesChecked is { } last && ++last.Rounds < node.Parameters.Successors && last.StoreVersion == node.Store.Version
            && last.Predecessor == node.Predecessor && last.Successors.SequenceEqual(node.Successors.Nodes))
        {
            return;
        }

        var copies = node.CopiesOfOthers();
        var settled = node.Predecessor is not null && await SettleAllAsync(node, copies);
        if (node.IsMember && settled && copies.Count == 0)
        {
            node.CopiesChecked = new ChordCopiesCheck(node.Store.Version, node.Predecessor, node.Successors.Nodes.ToArray());
        }
    }

    /// <summary>Settles the copies, removing those settled from the list; false when an owner or a place did not answer.</summary>
    private static async Task<bool> SettleAllAsync(ChordNode node, List<StoredItem> copies)
    {
        if (copies.Count == 0)
        {
            return true;
        }

        var settled = true;

        // Keys ahead of us, in (n, s_L]: their owners are on our successor list.
        var from = node.Self;
        foreach (var s in node.Successors.Nodes.ToList())
        {
            if (s == node.Self || copies.Count == 0 || !node.IsMember)
            {
                break;
            }

            if (copies.Exists(i => node.Space.InOpenClosed(i.KeyId, from, s)))
            {
                settled &= (await SettleRangeAsync(node, s, copies)).Settled;
            }

            from = s;
        }

        // Keys behind us: walk back from the predecessor, one owner's range (predecessor, owner] at a time.
        var owner = node.Predecessor;
        for (var step = 0; step < node.Parameters.Successors && copies.Count > 0 && owner is { } o && o != node.Self && node.IsMember; step++)
        {
            var (info, ok) = await SettleRangeAsync(node, o, copies);
            settled &= ok;
            owner = info?.Predecessor;
        }

        // Copies of keys further away (a peer that left the ring's neighbourhood long ago): one lookup a round.
        if (copies.Count > 0 && node.IsMember)
        {
            var lookup = await ChordLookup.IterativeAsync(node, copies[0].KeyId, node.Self, verifyOwner: false, traced: false);
            if (lookup.Success && lookup.Owner != node.Self && node.IsMember)
            {
                settled &= (await SettleRangeAsync(node, lookup.Owner, copies)).Settled;
            }
        }

        return settled;
    }

    /// <summary>
    /// We hold keys of <paramref name="owner"/>'s range at one of its places, so we keep them; but the owner
    /// may lack some, and then nothing gives them back: the owner's replication copies only what it holds,
    /// hand-offs move keys forward and its places sit after it on the ring. A copy stored while the ring was
    /// being repaired (a put or a hand-off that reached a peer that was the owner a moment before, which then
    /// wrote it to its own places) ends up like that, and such copies die with their silos one kill after
    /// another (the rolling soak, docs/cluster.md). So a place writes its copies of the range back to the
    /// owner, which keeps the newest version of each (a write-back never undoes a later write) and copies
    /// what it lacked to all its places. Skipped while neither store changed since the last write-back to
    /// that owner: a quiet ring sends nothing more. False when the owner did not take them.
    /// </summary>
    private static async Task<bool> WriteBackAsync(ChordNode node, NodeId owner, ChordNeighbours info, List<StoredItem> range)
    {
        var versions = (info.StoreVersion, node.Store.Version);
        if (node.WrittenBack is { } written && written.TryGetValue(owner, out var last) && last == versions)
        {
            return true;
        }

        if (!await node.Calls.TryAsync(owner, "replicate", p => p.StoreReplicasAsync(range)))
        {
            return false;
        }

        // A peer holds copies for at most a few owners (its r - 1 predecessors' ranges when the ring is settled).
        written = node.WrittenBack ??= [];
        if (written.Count >= 4 * node.Parameters.Replicas)
        {
            written.Clear();
        }

        written[owner] = versions;
        return true;
    }

    /// <summary>
    /// Asks <paramref name="owner"/> for its range and replica targets and settles our copies of keys
    /// in that range (they leave <paramref name="copies"/>): kept when we are one of their places (and written
    /// back to the owner, <see cref="WriteBackAsync"/>), else written to every place and dropped once all took them. Info is null when the owner did not
    /// answer or does not know its range yet; Settled is false then, or when a place did not take them.
    /// </summary>
    private static async Task<(ChordNeighbours? Info, bool Settled)> SettleRangeAsync(ChordNode node, NodeId owner, List<StoredItem> copies)
    {
        var asked = await node.Calls.CallAsync(owner, "replica_check", p => p.GetNeighboursAsync());
        if (!asked.Ok || !node.IsMember || asked.Value!.Predecessor is not { } predecessor)
        {
            return (null, false);
        }

        var info = asked.Value;
        var range = copies.FindAll(i => node.Space.InOpenClosed(i.KeyId, predecessor, owner));
        copies.RemoveAll(i => node.Space.InOpenClosed(i.KeyId, predecessor, owner));
        var targets = node.ReplicaTargetsOf(owner, info);
        if (range.Count == 0)
        {
            return (info, true);
        }

        if (node.Holds(owner, targets))
        {
            return (info, await WriteBackAsync(node, owner, info, range));
        }

        foreach (var place in targets.Prepend(owner).Distinct())
        {
            if (place != node.Self && !await node.Calls.TryAsync(place, "handoff", p => p.StoreReplicasAsync(range)))
            {
                return (info, false); // not confirmed everywhere: keep our copies, try again next round
            }
        }

        if (node.IsMember)
        {
            node.Drop(range);
        }

        return (info, true);
    }
}
