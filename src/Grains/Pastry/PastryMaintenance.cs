using System.Collections.Immutable;
using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// A Pastry peer's periodic work and its graceful leave (Rowstron and Druschel section 2.4; docs/pastry.md,
/// maintenance): the messages are sent through the call policy, the decisions come from the node and
/// <see cref="PastryRepair"/>. Every step re-checks that the node is still the peer's current one after
/// each await (the grain is reentrant: it may have failed or left meanwhile).
/// </summary>
public sealed class PastryMaintenance
{
    private const int FanOut = 8;
    private const int RepairContactsPerSlot = 3;

    private readonly PeerCalls<IPastryPeerGrain> _calls;
    private readonly Func<PastryNode?> _current;

    /// <param name="calls">The peer's call policy.</param>
    /// <param name="current">The peer's node now (null once it failed, left or stopped).</param>
    public PastryMaintenance(PeerCalls<IPastryPeerGrain> calls, Func<PastryNode?> current)
    {
        _calls = calls;
        _current = current;
    }

    /// <summary>
    /// One round: probe every node of the state and drop the unreachable ones; repair leaf-set sides
    /// that lost a member or are short, from the farthest live leaf on that side; lazily repair the
    /// routing-table slots whose entry died; refill the neighbourhood set; re-replicate.
    /// </summary>
    public async Task RoundAsync(PastryNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        await ProbeAsync(node);
        await RepairLeafSetAsync(node);
        await RepairRoutingTableAsync(node);
        await RepairNeighbourhoodAsync(node);
        await ReplicateAsync(node);
    }

    /// <summary>
    /// Graceful leave, once the node is stopped: each key goes to its holders among the remaining
    /// nodes (<see cref="PastryNode.HandOver"/>, computed before the stop), and every node of the state
    /// hears that this one goes, with its leaf set to repair theirs at once.
    /// </summary>
    public async Task LeaveAsync(NodeId self, Dictionary<NodeId, List<StoredItem>> handOver, IReadOnlyList<NodeId> targets, PastryLeafSetSnapshot leafSet)
    {
        ArgumentNullException.ThrowIfNull(handOver);
        foreach (var (holder, items) in handOver)
        {
            await _calls.TryAsync(holder, "hand_over", p => p.StoreReplicasAsync(items));
        }

        await Concurrently.ForEachAsync(targets, FanOut, target => _calls.TryAsync(target, "departing", p => p.DepartingAsync(self, leafSet)));
    }

    /// <summary>Sends a newcomer's state to every node in it (section 2.4); a receiver may copy keys to the newcomer before it answers.</summary>
    public Task AnnounceAsync(NodeId self, PastryRoutingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var known = state.KnownNodes.ToImmutableArray();
        return Concurrently.ForEachAsync(PastryJoin.AnnounceTargets(state), FanOut,
            target => _calls.TryAsync(target, "announce", p => p.AnnounceAsync(self, known), nested: 1));
    }

    /// <summary>
    /// Leaves get a heartbeat that carries our leaf set and returns theirs (both merge: leaf sets
    /// converge even where a repair missed a node); every other known node gets a ping.
    /// </summary>
    private async Task ProbeAsync(PastryNode node)
    {
        var leaves = node.State.LeafSet.All.ToHashSet();
        var others = node.State.KnownNodes.Where(id => !leaves.Contains(id)).ToList();
        var mine = node.LeafSetReply();
        await Concurrently.ForEachAsync(leaves, FanOut, async leaf =>
        {
            PastryLeafSetSnapshot? theirs = null;
            if (await _calls.TryAsync(leaf, "leafset_heartbeat", async p => theirs = await p.ExchangeLeafSetAsync(mine)) && theirs is not null && _current() == node)
            {
                node.MergeLeafSet(theirs);
            }
        });
        await Concurrently.ForEachAsync(others, FanOut, target => _calls.TryAsync(target, "probe", p => p.PingAsync()));
    }

    private async Task RepairLeafSetAsync(PastryNode node)
    {
        foreach (var side in new[] { LeafSides.Smaller, LeafSides.Larger })
        {
            // A full side that lost nobody is right; a short one may just reflect a small network.
            for (var attempt = 0; attempt < 3 && _current() == node && !node.State.LeafSet.IsFull(side); attempt++)
            {
                var before = node.LeafHash();
                if (PastryRepair.LeafSetRepairContact(node.State.LeafSet, side) is not { } contact)
                {
                    break;
                }

                var snapshot = await _calls.CallAsync(contact, "leafset_repair", p => p.GetLeafSetAsync());
                if (!snapshot.Ok)
                {
                    continue;
                }

                if (_current() != node)
                {
                    return;
                }

                node.MergeLeafSet(snapshot.Value!);

                if (node.LeafHash() == before)
                {
                    break;
                }
            }
        }
    }

    private async Task RepairRoutingTableAsync(PastryNode node)
    {
        foreach (var (row, column) in node.PendingRepairs.ToList())
        {
            if (_current() != node)
            {
                return;
            }

            node.PendingRepairs.Remove((row, column));
            if (node.State.RoutingTable.Get(row, column) is not null)
            {
                continue;
            }

            // Ask the other entries of row l, then of rows l+1, ... for their R[l][d] (section 2.4).
            foreach (var contact in PastryRepair.RoutingRepairContacts(node.State, row, column, node.Dead).Take(RepairContactsPerSlot))
            {
                var answers = await _calls.CallAsync(contact, "table_repair", p => p.RepairCandidatesAsync(node.Self, row, column));
                if (answers.Ok && PastryRepair.MergeRoutingRepair(node.State, row, column, answers.Value, node.Dead))
                {
                    break;
                }
            }
        }
    }

    private async Task RepairNeighbourhoodAsync(PastryNode node)
    {
        var set = node.State.NeighbourhoodSet;
        if (set.Count >= set.Size || set.Count == 0)
        {
            return;
        }

        // A lost member: ask the closest remaining member for its set (section 2.4, neighbourhood).
        var contact = set.Members[0];
        var snapshot = await _calls.CallAsync(contact, "neighbourhood_repair", p => p.GetNeighbourhoodAsync());
        if (snapshot.Ok && _current() == node)
        {
            foreach (var member in snapshot.Value!.Members.Where(m => m != node.Self && !node.Dead.Contains(m)))
            {
                node.State.NeighbourhoodSet.Consider(member);
            }
        }
    }

    /// <summary>
    /// Keys go to their holders (the k numerically closest nodes of our leaf set, or spread over
    /// silos) whenever the keys, the leaf set or (spread) the silos known for it changed; a key we
    /// are no longer among the holders of is handed to them and dropped.
    /// </summary>
    private async Task ReplicateAsync(PastryNode node)
    {
        var signature = (node.Store.Version, node.PlacementHash());
        if (node.Replicated == signature || node.Store.Count == 0)
        {
            node.Replicated = signature;
            return;
        }

        var (pushes, handedOver) = node.ReplicationPlan();
        var failed = new HashSet<NodeId>();
        foreach (var (holder, items) in pushes)
        {
            if (!await _calls.TryAsync(holder, "replicate", p => p.StoreReplicasAsync(items)))
            {
                failed.Add(holder);
            }
        }

        if (_current() != node)
        {
            return;
        }

        if (failed.Count == 0)
        {
            foreach (var item in handedOver)
            {
                node.Store.Remove(item.Key);
            }

            node.Replicated = (node.Store.Version, node.PlacementHash());
        }
    }
}
