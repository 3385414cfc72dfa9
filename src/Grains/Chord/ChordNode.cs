using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>The state of one joined Chord peer; a grain holds one while it is a member.</summary>
public sealed class ChordNode : IPeerNode
{
    public ChordNode(ChordParameters parameters, NodeId self, string address)
    {
        Parameters = parameters;
        Space = parameters.Space;
        Self = self;
        Address = address;
        Successors = new SuccessorList(self, parameters.Successors);
        Fingers = new FingerTable(Space, self);
        Network = new NetworkModel(parameters.Seed);
    }

    public ChordParameters Parameters { get; }

    public IdSpace Space { get; }

    public NodeId Self { get; }

    public string Address { get; }

    public NodeId? Predecessor { get; set; }

    public SuccessorList Successors { get; }

    public FingerTable Fingers { get; }

    public KeyValueStore<StoredItem> Store { get; } = new();

    public NetworkModel Network { get; }

    /// <summary>Silo of each successor as last reported by stabilize (replica placement awareness).</summary>
    public Dictionary<NodeId, string> SuccessorSilos { get; } = [];

    /// <summary>Next finger fix_fingers refreshes.</summary>
    public int NextFinger { get; set; }

    /// <summary>Store version last copied to the replicas; -1 forces a push (successors changed).</summary>
    public long ReplicatedVersion { get; set; } = -1;

    /// <summary>
    /// Where the copies went at the last replication. With spread replicas the targets change when
    /// the silos of the successors become known (after the first stabilize), not only when the
    /// keys or the successor list change; replication must then run again.
    /// </summary>
    public IReadOnlyList<NodeId> ReplicatedTargets { get; set; } = [];

    public MessageCounts Messages { get; } = new();

    OverlayParameters IPeerNode.Parameters => Parameters;

    public void CountMessage(string kind) => Messages.Count(kind);

    /// <summary>Drops a dead peer from the successor list, the fingers and the predecessor pointer.</summary>
    public void Forget(NodeId dead)
    {
        if (dead == Self)
        {
            return;
        }

        if (Successors.Remove(dead))
        {
            ReplicatedVersion = -1;
        }

        Fingers.Remove(dead);
        if (Predecessor == dead)
        {
            Predecessor = null;
        }
    }

    /// <summary>
    /// The peers that get copies of the keys this node owns: the first Replicas - 1 successors, or
    /// with SpreadReplicas the greedy walk over distinct silos (<see cref="ReplicaPlacement"/>).
    /// </summary>
    public IReadOnlyList<NodeId> ReplicaTargets(string silo) => ReplicaTargets(Parameters, silo, Successors.Take(Parameters.Successors), SuccessorSilos);

    public static IReadOnlyList<NodeId> ReplicaTargets(ChordParameters parameters, string? ownerSilo, IReadOnlyList<NodeId> successors, IReadOnlyDictionary<NodeId, string> silos) =>
        parameters.SpreadReplicas
            ? ReplicaPlacement.Spread(ownerSilo ?? "?", successors, s => silos.GetValueOrDefault(s) ?? "unknown:" + s.ToHex(), parameters.Replicas)
            : ReplicaPlacement.Plain(successors, parameters.Replicas);

    /// <summary>Remembers the silos a successor reported (itself and its list); forgets those no longer listed.</summary>
    public void LearnSilos(NodeId successor, ChordNeighbours info)
    {
        if (info.Silo is { } silo)
        {
            SuccessorSilos[successor] = silo;
        }

        if (info.SuccessorSilos is { } silos)
        {
            for (var i = 0; i < Math.Min(silos.Count, info.Successors.Count); i++)
            {
                if (silos[i] is { } s && info.Successors[i] != Self)
                {
                    SuccessorSilos[info.Successors[i]] = s;
                }
            }
        }

        foreach (var stale in SuccessorSilos.Keys.Where(k => !Successors.Nodes.Contains(k)).ToList())
        {
            SuccessorSilos.Remove(stale);
        }
    }

    public IReadOnlyList<string?> SiloList() => Successors.Nodes.Select(s => SuccessorSilos.GetValueOrDefault(s)).ToList();

    public ChordPeerState Snapshot(string? silo = null)
    {
        var primary = Predecessor is { } p ? Store.InRange(Space, p, Self).Count : Store.Count;
        return new ChordPeerState(Self, Address, Predecessor, Successors.Nodes.ToList(), Fingers.Runs.ToList(),
            Store.Count, primary, Messages.Lookup, Messages.Maintenance, silo);
    }

    /// <summary>What a durable peer writes to grain storage.</summary>
    public ChordPeerRecord ToRecord() => new()
    {
        Member = true,
        Parameters = Parameters,
        Address = Address,
        Predecessor = Predecessor,
        Successors = Successors.Nodes.ToList(),
        Fingers = Fingers.Runs.ToList(),
        Items = Store.Items.ToList(),
        NextFinger = NextFinger,
        LookupMessages = Messages.Lookup,
        MaintenanceMessages = Messages.Maintenance,
    };

    /// <summary>A member restored from its record; replicas are pushed again at its next round.</summary>
    public static ChordNode FromRecord(NodeId self, ChordPeerRecord record)
    {
        var node = new ChordNode(record.Parameters!, self, record.Address)
        {
            Predecessor = record.Predecessor,
            NextFinger = record.NextFinger,
            Messages = { Lookup = record.LookupMessages, Maintenance = record.MaintenanceMessages },
        };
        node.Successors.Replace(record.Successors);
        node.Fingers.Replace(record.Fingers);
        foreach (var item in record.Items)
        {
            node.Store.Put(item);
        }

        return node;
    }
}
