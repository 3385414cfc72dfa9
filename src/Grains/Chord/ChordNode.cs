using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The pure core of one Chord peer (docs/chord.md): its state (predecessor, successor list, finger
/// table, keys) and its answers to the protocol's messages. No Orleans types: it reaches other peers
/// only through <see cref="IChordPeer"/> and the shared call policy (<see cref="Calls"/>). The rules
/// that send messages of their own are <see cref="ChordJoin"/>, <see cref="ChordMaintenance"/>,
/// <see cref="ChordReplication"/>, <see cref="ChordLookup"/> and <see cref="ChordKeys"/>; a peer
/// grain holds one node while it is a member and the unit tests drive many in an in-memory ring.
/// </summary>
public sealed class ChordNode : IPeerNode
{
    private readonly ChordHost _host;

    // Made on first use: most peers of a large converged ring never send a message of their own
    // or learn a successor's silo, and these objects would cost about 300 bytes per peer (docs/bench.md, memory).
    private PeerCalls<IChordPeer>? _calls;
    private Dictionary<NodeId, string>? _successorSilos;

    // Also made on first use: most peers of a converged ring hold no key and send no message (64 bytes a peer).
    private KeyValueStore? _store;
    private MessageCounts? _messages;

    // The parameters and network model every node of an overlay shares: one instance for the nodes
    // made in a row with equal parameters (a converged build, the joins of one overlay) instead of a
    // copy per node, 80 bytes a peer at 10^6 (docs/bench.md, memory). Immutable, so sharing is safe.
    private static Tuple<ChordParameters, NetworkModel>? _shared;

    public ChordNode(ChordParameters parameters, NodeId self, string address, ChordHost host)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(host);
        (Parameters, Network) = Shared(parameters);
        Self = self;
        Address = address;
        Successors = new SuccessorList(self, Parameters.Successors);
        Fingers = new FingerTable(Space, self);
        _host = host;
    }

    private static (ChordParameters Parameters, NetworkModel Network) Shared(ChordParameters parameters)
    {
        var last = _shared;
        if (last is not null && (ReferenceEquals(last.Item1, parameters) || last.Item1.Equals(parameters)))
        {
            return (last.Item1, last.Item2);
        }

        _shared = last = Tuple.Create(parameters, new NetworkModel(parameters.Seed));
        return (last.Item1, last.Item2);
    }

    public ChordParameters Parameters { get; }

    public IdSpace Space => Parameters.Space;

    public NodeId Self { get; }

    public string Address { get; }

    /// <summary>The silo this node runs on.</summary>
    public string Silo => _host.Silo;

    /// <summary>A few other members of the overlay to re-join through (<see cref="ChordHost.Members"/>); none when the host has no member list.</summary>
    public Task<IReadOnlyList<NodeId>> MembersAsync() => _host.Members?.Invoke(Self) ?? Task.FromResult<IReadOnlyList<NodeId>>([]);

    /// <summary>Every message to another peer goes through here (timeouts, counting, the forget rule).</summary>
    public PeerCalls<IChordPeer> Calls => _calls ??= new PeerCalls<IChordPeer>(ChordParameters.Name, _host.Resolve, () => IsMember ? this : null, _host.CallOptions, _host.Time);

    /// <summary>False once the peer failed, left or was stopped: a rule still running stops at its next step.</summary>
    public bool IsMember { get; private set; } = true;

    public NodeId? Predecessor { get; set; }

    public SuccessorList Successors { get; }

    public FingerTable Fingers { get; }

    public KeyValueStore Store => _store ??= new();

    public NetworkModel Network { get; }

    /// <summary>Silo of each successor as last reported by stabilize (replica placement awareness).</summary>
    public Dictionary<NodeId, string> SuccessorSilos => _successorSilos ??= [];

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

    public MessageCounts Messages => _messages ??= new();

    /// <summary>
    /// The store version, predecessor and successors when every copy of another owner's key was last
    /// found in place (or settled), and the rounds since: the check of <see cref="ChordReplication.DropCopiesHeldElsewhereAsync"/>
    /// runs again when one of them moved, or after a successor list's length of rounds (a join a few
    /// predecessors back moves our places without changing anything here). Null until the first settled check.
    /// </summary>
    public ChordCopiesCheck? CopiesChecked { get; set; }

    /// <summary>
    /// For each owner whose keys we hold at one of its places: its store version and ours when we last wrote
    /// those keys back to it (<see cref="ChordReplication.DropCopiesHeldElsewhereAsync"/>). While neither
    /// changed the owner still holds them, and the write-back is skipped. Null until the first write-back.
    /// </summary>
    public Dictionary<NodeId, (long Owner, long Ours)>? WrittenBack { get; set; }

    /// <summary>
    /// With spread replicas: a dead or leaving successor was dropped from the list since the last round, whose
    /// stabilize then tells the peers behind (<see cref="ChordMaintenance.RoundAsync"/>).
    /// </summary>
    public bool DroppedSuccessor { get; set; }

    OverlayParameters IPeerNode.Parameters => Parameters;

    public void CountMessage(string kind) => Messages.Count(kind);

    /// <summary>The peer stops (crash, leave, overlay deleted): its keys are dropped and no rule goes on.</summary>
    public void Stop()
    {
        IsMember = false;
        _store?.Clear();
    }

    /// <summary>Installs a precomputed state (the converged build's ideal ring).</summary>
    public void Install(NodeId? predecessor, IReadOnlyList<NodeId> successors, IReadOnlyList<FingerRun> fingers)
    {
        Predecessor = predecessor;
        Successors.Replace(successors);
        Fingers.Replace(fingers);
    }

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
            DroppedSuccessor |= Parameters.SpreadReplicas;
        }

        Fingers.Remove(dead);
        if (Predecessor == dead)
        {
            Predecessor = null;
        }
    }

    // --- answers to the protocol's messages (IChordPeer) ---------------------------------

    /// <summary>One step of find_successor here (Chord figure 5), skipping the peers in exclude (a few dead hops: scanned, not hashed).</summary>
    public ChordNextStep FindNext(NodeId key, IReadOnlyCollection<NodeId> exclude) =>
        ChordRouter.NextStep(Space, Self, key, Successors, Fingers, exclude.Count == 0 ? null : exclude);

    /// <summary>What stabilize asks of us: predecessor and successor list (with their silos when replicas are spread).</summary>
    public ChordNeighbours Neighbours() =>
        new(Predecessor, Successors.Nodes.ToList(), Silo, Parameters.SpreadReplicas ? SiloList() : null, _store?.Version ?? 0);

    /// <summary>
    /// notify(n'): if predecessor is nil or n' in (predecessor, n), predecessor := n' (Chord figure 7).
    /// The keys in (previous predecessor, n'] now belong to n' and go with the answer (key hand-off
    /// on join, Chord section 4.4); we keep them as its first replica.
    /// </summary>
    public ChordNotifyResult Notify(NodeId candidate)
    {
        if (candidate == Self || (Predecessor is { } p && p != candidate && !Space.InOpenOpen(candidate, p, Self)))
        {
            return new ChordNotifyResult(false, [], Predecessor);
        }

        var previous = Predecessor;
        Predecessor = candidate;
        if (Successors.First == Self)
        {
            // A ring of one that gains a second node: it is both our predecessor and our successor.
            Successors.Replace([candidate]);
            Fingers.Set(0, candidate);
        }

        // The notify of every stabilize round comes from the predecessor we already have: then nothing
        // moves ((n', n'] is empty here, not the whole ring as the interval (a, a] means elsewhere). It
        // handed the predecessor our whole store each round, the copies of every key spread backwards one
        // peer a round, and a 150-peer ring held 16 copies per key under rolling restarts (docs/cluster.md).
        var moving = previous == candidate ? new List<StoredItem>()
            : previous is { } prev ? Store.InRange(Space, prev, candidate) : Store.InRange(Space, Self, candidate);
        ReplicatedVersion = -1;
        return new ChordNotifyResult(true, moving, previous);
    }

    /// <summary>Our successor leaves (Chord section 4.4): take its successor list as ours.</summary>
    public void SuccessorLeaving(NodeId leaving, IReadOnlyList<NodeId> successors)
    {
        Successors.Remove(leaving);
        Fingers.Remove(leaving);
        var list = successors.Where(s => s != leaving && s != Self).ToList();
        if (list.Count > 0)
        {
            Successors.Replace(list);
        }

        ReplicatedVersion = -1;

        // The peers behind us still list the leaver: the same walk back as for a dropped dead successor,
        // not a hop a round (docs/cluster.md, "Copies after a kill").
        DroppedSuccessor |= Parameters.SpreadReplicas;
    }

    /// <summary>Our predecessor leaves (Chord section 4.4): its keys are ours now, its predecessor becomes ours.</summary>
    public void PredecessorLeaving(NodeId leaving, NodeId? predecessor, IReadOnlyList<StoredItem> keys)
    {
        Take(keys);
        if (Predecessor == leaving)
        {
            Predecessor = predecessor == Self ? null : predecessor;
        }

        Forget(leaving);
    }

    /// <summary>Keeps copies of keys (replication, hand-off, a notify's answer); a copy never replaces a newer version of its key.</summary>
    public void Take(IEnumerable<StoredItem> items)
    {
        foreach (var item in items)
        {
            if (item.Supersedes(Store.Find(item.Key)))
            {
                Store.Put(item);
            }
        }
    }

    /// <summary>
    /// The owner takes a put: it stamps the write with a version later than the one it holds and later
    /// than its clock's ticks, so a newer write wins over every copy made before it wherever they meet
    /// (last writer wins by the owners' clock: the silos of one cluster share this machine's clock).
    /// </summary>
    public StoredItem StoreAsOwner(StoredItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var held = Store.Find(item.Key);
        var stamped = item with { Version = Math.Max((held?.Version ?? 0) + 1, _host.Time.GetUtcNow().UtcTicks) };
        Store.Put(stamped);
        return stamped;
    }

    /// <summary>The copies held of keys outside our range (predecessor, n]: replicas of other owners' keys, or strays; none while the predecessor is unknown.</summary>
    public List<StoredItem> CopiesOfOthers() =>
        Predecessor is { } p && p != Self ? Store.Items.Where(i => !Space.InOpenClosed(i.KeyId, p, Self)).ToList() : [];

    /// <summary>
    /// Whether this node is among the holders of a key whose owner is <paramref name="owner"/> with
    /// replica targets <paramref name="targets"/>: the owner itself or one of its copies' places
    /// (ToN section 5.2: the key's successor and the next r - 1, or spread over silos).
    /// </summary>
    public bool Holds(NodeId owner, IReadOnlyList<NodeId> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return owner == Self || targets.Contains(Self);
    }

    /// <summary>Drops copies the holders confirmed; a copy that changed meanwhile (a newer write arrived) is kept.</summary>
    public int Drop(IEnumerable<StoredItem> confirmed)
    {
        var dropped = 0;
        foreach (var item in confirmed)
        {
            if (Equals(Store.Find(item.Key), item) && Store.Remove(item.Key))
            {
                dropped++;
            }
        }

        return dropped;
    }

    // --- replica placement ---------------------------------------------------------------

    /// <summary>
    /// The peers that get copies of the keys this node owns: the first Replicas - 1 successors, or
    /// with SpreadReplicas the greedy walk over distinct silos, where a successor whose silo is not
    /// known yet gets a copy too (<see cref="ReplicaPlacement.SpreadOverKnownHosts"/>).
    /// </summary>
    public IReadOnlyList<NodeId> ReplicaTargets() => ReplicaTargets(Parameters, Silo, Successors.Take(Parameters.Successors), SuccessorSilos);

    public static IReadOnlyList<NodeId> ReplicaTargets(ChordParameters parameters, string? ownerSilo, IReadOnlyList<NodeId> successors, IReadOnlyDictionary<NodeId, string> silos)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.SpreadReplicas
            ? ReplicaPlacement.SpreadOverKnownHosts(ownerSilo ?? "?", successors, silos.GetValueOrDefault, parameters.Replicas)
            : ReplicaPlacement.Plain(successors, parameters.Replicas);
    }

    /// <summary>The replica targets of another peer, from its neighbours' answer.</summary>
    public IReadOnlyList<NodeId> ReplicaTargetsOf(NodeId owner, ChordNeighbours neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        var silos = new Dictionary<NodeId, string>();
        for (var i = 0; i < Math.Min(neighbours.Successors.Count, neighbours.SuccessorSilos?.Count ?? 0); i++)
        {
            if (neighbours.SuccessorSilos![i] is { } silo)
            {
                silos[neighbours.Successors[i]] = silo;
            }
        }

        return ReplicaTargets(Parameters, neighbours.Silo, neighbours.Successors.Where(s => s != owner).ToList(), silos);
    }

    /// <summary>Remembers the silos a successor reported (itself and its list); forgets those no longer listed.</summary>
    public void LearnSilos(NodeId successor, ChordNeighbours info)
    {
        ArgumentNullException.ThrowIfNull(info);
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

    public ChordPeerState Snapshot()
    {
        var keys = _store?.Count ?? 0;
        var primary = keys > 0 && Predecessor is { } p ? _store!.InRange(Space, p, Self).Count : keys;
        return new ChordPeerState(Self, Address, Predecessor, Successors.Nodes.ToList(), Fingers.Runs.ToList(),
            keys, primary, _messages?.Lookup ?? 0, _messages?.Maintenance ?? 0, Silo);
    }
}
