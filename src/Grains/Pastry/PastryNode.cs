using System.Collections.Immutable;
using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// One Pastry peer while it is a member, with no Orleans types (docs/architecture.md, peer grains):
/// its routing state (<see cref="PastryRoutingState"/>: leaf set, routing table, neighbourhood set,
/// section 2.1), the keys it holds as root or replica, the nodes it found dead, the routing-table slots
/// awaiting repair, the silos of its leaves and its message counters. <c>PastryPeerGrain</c> holds one
/// and sends the messages that <see cref="PastryLookup"/>, <see cref="PastryMaintenance"/> and
/// <see cref="PastryJoinRoute"/> decide.
/// </summary>
public sealed class PastryNode : IPeerNode
{
    private const int DeadMemory = 4096;

    public PastryNode(PastryParameters parameters, string address, PastryRoutingState state, NetworkModel network)
    {
        Parameters = parameters;
        Address = address;
        State = state;
        Network = network;
    }

    public PastryParameters Parameters { get; }

    public string Address { get; }

    public PastryRoutingState State { get; private set; }

    public NetworkModel Network { get; }

    public NodeId Self => State.Id;

    public IdSpace Space => State.Space;

    public KeyValueStore Store { get; } = new();

    /// <summary>Nodes found dead recently: not learned again from other nodes' (stale) state.</summary>
    public HashSet<NodeId> Dead { get; } = [];

    /// <summary>Routing-table slots whose entry died: repaired lazily at the next rounds (section 2.4).</summary>
    public HashSet<(int Row, int Column)> PendingRepairs { get; } = [];

    /// <summary>(store version, leaf-set hash) at the last complete replication; replication runs when it changes.</summary>
    public (long Store, int Leaves) Replicated { get; set; } = (-1, 0);

    public MessageCounts Messages { get; } = new();

    OverlayParameters IPeerNode.Parameters => Parameters;

    public void CountMessage(string kind) => Messages.Count(kind);

    /// <summary>Drops a dead node from every table, remembers it as dead and queues the repair of its routing-table slot.</summary>
    public void Forget(NodeId dead)
    {
        if (dead == Self)
        {
            return;
        }

        MarkDead(dead);
        var slot = State.RoutingTable.SlotOf(dead);
        var where = State.Forget(dead);
        if ((where & PastryTables.RoutingTable) != 0 && slot is { } s)
        {
            PendingRepairs.Add(s);
        }
    }

    /// <summary>The silo this peer is activated on (set by the grain; not persisted: a restored peer is elsewhere).</summary>
    public string? Silo { get; set; }

    /// <summary>Silos of leaves, learnt from leaf-set snapshots (docs/durability.md, spread replicas); only leaves are kept.</summary>
    public Dictionary<NodeId, string> LeafSilos { get; } = [];

    public string? SiloOf(NodeId node) => node == Self ? Silo : LeafSilos.GetValueOrDefault(node);

    /// <summary>The holders of a key's copies as this peer sees them (itself and its leaf set).</summary>
    public IReadOnlyList<NodeId> Holders(NodeId key) =>
        PastryReplicas.Holders(State, key, Parameters.Replicas, Parameters.SpreadReplicas, SiloOf);

    /// <summary>What decides replication: the leaf set, and with spread replicas the silos known for it.</summary>
    public int PlacementHash()
    {
        if (!Parameters.SpreadReplicas)
        {
            return LeafHash();
        }

        var hash = new HashCode();
        hash.Add(LeafHash());
        hash.Add(Silo);
        foreach (var leaf in State.LeafSet.All)
        {
            hash.Add(LeafSilos.GetValueOrDefault(leaf));
        }

        return hash.ToHashCode();
    }

    /// <summary>Remembers the silos a snapshot reports (its owner's and its leaves'); forgets those of nodes no longer leaves.</summary>
    public void LearnSilos(PastryLeafSetSnapshot snapshot)
    {
        if (snapshot.Silo is { } silo && snapshot.Owner != Self)
        {
            LeafSilos[snapshot.Owner] = silo;
        }

        foreach (var (node, s) in snapshot.LeafSilos ?? [])
        {
            if (node != Self)
            {
                LeafSilos[node] = s;
            }
        }

        foreach (var stale in LeafSilos.Keys.Where(k => !State.LeafSet.Contains(k)).ToList())
        {
            LeafSilos.Remove(stale);
        }
    }

    /// <summary>Our leaf set as sent to another node; with spread replicas it carries the silos we know.</summary>
    public PastryLeafSetSnapshot LeafSetReply()
    {
        var snapshot = State.LeafSet.Snapshot();
        return Parameters.SpreadReplicas
            ? snapshot with { Silo = Silo, LeafSilos = LeafSilos.Where(p => State.LeafSet.Contains(p.Key)).ToImmutableDictionary() }
            : snapshot;
    }

    /// <summary>Learns a leaf set received from another node (and its owner), skipping itself and known-dead nodes; and the silos it reports.</summary>
    public void MergeLeafSet(PastryLeafSetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Dead.Remove(snapshot.Owner);
        PastryRepair.MergeLeafSet(State, snapshot with { Smaller = [.. snapshot.Smaller.Where(id => id != Self)], Larger = [.. snapshot.Larger.Where(id => id != Self)] }, Dead);
        LearnSilos(snapshot);
    }

    /// <summary>
    /// A graceful leave's hand-off: each key goes to the k holders among the remaining nodes the leaf
    /// set knows (the same placement as everywhere else, without this node).
    /// </summary>
    public Dictionary<NodeId, List<StoredItem>> HandOver()
    {
        var remaining = State.LeafSet.All.ToList();
        var handOver = new Dictionary<NodeId, List<StoredItem>>();
        foreach (var item in Store.Items)
        {
            foreach (var holder in PastryReplicas.Holders(Space, item.KeyId, remaining, Parameters.Replicas, Parameters.SpreadReplicas, SiloOf))
            {
                (handOver.TryGetValue(holder, out var list) ? list : handOver[holder] = []).Add(item);
            }
        }

        return handOver;
    }

    /// <summary>
    /// What replication sends now: each key to its other holders, and the keys this node is no longer
    /// a holder of (handed to them, then dropped once every push answered).
    /// </summary>
    public (Dictionary<NodeId, List<StoredItem>> Pushes, List<StoredItem> HandedOver) ReplicationPlan()
    {
        var pushes = new Dictionary<NodeId, List<StoredItem>>();
        var handedOver = new List<StoredItem>();
        foreach (var item in Store.Items)
        {
            var holders = Holders(item.KeyId);
            if (!holders.Contains(Self))
            {
                handedOver.Add(item);
            }

            foreach (var holder in holders.Where(h => h != Self))
            {
                (pushes.TryGetValue(holder, out var list) ? list : pushes[holder] = []).Add(item);
            }
        }

        return (pushes, handedOver);
    }

    /// <summary>Installs a precomputed state in place of the current one (keys, counters and dead set stay); repairs and replication start over.</summary>
    public void Install(PastryRoutingState state)
    {
        State = state;
        PendingRepairs.Clear();
        Replicated = (-1, 0);
        LearnSilos(state.LeafSet.Snapshot());
    }

    public void MarkDead(NodeId node)
    {
        if (Dead.Count >= DeadMemory)
        {
            Dead.Clear();
        }

        Dead.Add(node);
    }

    public int LeafHash()
    {
        var hash = new HashCode();
        foreach (var id in State.LeafSet.Smaller)
        {
            hash.Add(id);
        }

        hash.Add(0);
        foreach (var id in State.LeafSet.Larger)
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }

    public PastryPeerState Snapshot() => PastrySnapshots.ToPeerState(State, Address, Store.Count, Messages.Lookup, Messages.Maintenance) with { Silo = Silo };

    /// <summary>What a durable peer writes to grain storage.</summary>
    public PastryPeerRecord ToRecord() => new()
    {
        Member = true,
        Parameters = Parameters,
        Address = Address,
        State = PastrySnapshots.ToPeerState(State, Address, Store.Count, Messages.Lookup, Messages.Maintenance),
        Items = [.. Store.Items],
    };

    /// <summary>A member restored from its record; it pushes its replicas again at its next round.</summary>
    public static PastryNode FromRecord(NodeId self, PastryPeerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var parameters = record.Parameters ?? throw new ArgumentException("a member record has parameters", nameof(record));
        var snapshot = record.State ?? throw new ArgumentException("a member record has a state", nameof(record));
        var network = new NetworkModel(parameters.Seed);
        var peer = new PastryNode(parameters, record.Address, PastrySnapshots.Restore(snapshot with { Id = self }, parameters, network.Rtt), network)
        {
            Messages = { Lookup = snapshot.LookupMessages, Maintenance = snapshot.MaintenanceMessages },
        };
        foreach (var item in record.Items)
        {
            peer.Store.Put(item);
        }

        return peer;
    }
}
