using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// An in-memory Chord ring for unit and property tests: every peer is a <see cref="ChordNode"/>
/// behind a <see cref="ChordTestPeer"/>, messages are direct calls through the shared call policy
/// (so counting and the forget rule are the silo's), a round ticks every live peer once in id
/// order as the overlay's stepped clock does. A crashed peer answers "not a member" to everyone.
/// The ground truth is <see cref="IdealRing"/> over the live ids.
/// </summary>
internal sealed class ChordTestRing
{
    private readonly Dictionary<NodeId, ChordTestPeer> _peers = [];
    private readonly ChordHost _host;

    private readonly Func<NodeId, string>? _siloOf;

    /// <param name="siloOf">The silo of each peer (replica placement over silos); all on one silo when null.</param>
    public ChordTestRing(ChordParameters parameters, Func<NodeId, string>? siloOf = null)
    {
        Parameters = parameters;
        _siloOf = siloOf;
        _host = new ChordHost(Resolve, new PeerCallOptions(), TimeProvider.System, "test") { Members = Members };
    }

    /// <summary><paramref name="count"/> distinct ids in [1, 2^16), drawn from <paramref name="seed"/>.</summary>
    public static List<NodeId> RandomIds(int count, int seed)
    {
        var random = new Random(seed);
        var ids = new HashSet<NodeId>();
        while (ids.Count < count)
        {
            ids.Add(NodeId.FromUInt64((ulong)random.Next(1, 1 << 16)));
        }

        return [.. ids];
    }

    public ChordParameters Parameters { get; }

    /// <summary>Awaited before every answer of every peer (<see cref="ChordTestPeer.Pause"/>); null: answers at once.</summary>
    public Func<Task>? Pause
    {
        get;
        set
        {
            field = value;
            foreach (var peer in _peers.Values)
            {
                peer.Pause = value;
            }
        }
    }

    public IdSpace Space => Parameters.Space;

    public IEnumerable<NodeId> Live => _peers.Where(p => p.Value.Node is not null).Select(p => p.Key).Order();

    public IdealRing Ideal => new(Space, Live);

    public ChordNode Node(NodeId id) => _peers[id].Node ?? throw new InvalidOperationException($"{Space.Format(id)} is not a member");

    public bool IsLive(NodeId id) => _peers.TryGetValue(id, out var p) && p.Node is not null;

    /// <summary>The first peer: a ring of one.</summary>
    public void Create(NodeId id) => Add(id);

    /// <summary>join(bootstrap) as the peer grain runs it (<see cref="ChordJoin.JoinAsync"/>).</summary>
    public async Task JoinAsync(NodeId id, NodeId bootstrap)
    {
        var node = Add(id);
        try
        {
            await ChordJoin.JoinAsync(node, bootstrap);
        }
        catch
        {
            Crash(id);
            throw;
        }
    }

    /// <summary>Graceful leave: keys to the successor, neighbours linked (<see cref="ChordJoin.Farewell"/>).</summary>
    public async Task LeaveAsync(NodeId id)
    {
        var node = Node(id);
        var farewell = ChordJoin.Farewell(node);
        Crash(id);
        await farewell.SendAsync(node.Calls);
    }

    /// <summary>Crash: the peer stops answering, nothing is handed over.</summary>
    public void Crash(NodeId id)
    {
        var peer = _peers[id];
        peer.Node?.Stop();
        peer.Node = null;
    }

    /// <summary>A silo crashes: every peer on it crashes at once.</summary>
    public void CrashSilo(string silo)
    {
        foreach (var id in Live.Where(id => Node(id).Silo == silo).ToList())
        {
            Crash(id);
        }
    }

    /// <summary>The peer's silo stops answering (or answers again): its messages time out, its state stays.</summary>
    public void Hang(NodeId id, bool hung = true) => _peers[id].Hung = hung;

    public Task<LookupResult> LookupAsync(NodeId from, NodeId key) => ChordLookup.LookupAsync(Node(from), "test", key, null);

    /// <summary>A ring of the given ids built by joins through the first, then stabilized for <paramref name="rounds"/> rounds.</summary>
    public static async Task<ChordTestRing> BuildAsync(ChordParameters parameters, IReadOnlyList<NodeId> ids, int rounds, Func<NodeId, string>? siloOf = null)
    {
        var ring = new ChordTestRing(parameters, siloOf);
        ring.Create(ids[0]);
        foreach (var id in ids.Skip(1))
        {
            await ring.JoinAsync(id, ids[0]);
        }

        await ring.RoundsAsync(rounds);
        return ring;
    }

    /// <summary>
    /// Twelve peers on three silos laid out around <paramref name="key"/>: its owner and the owner's next
    /// two successors on silo A, then one on B and one on C, the rest round-robin; built and stabilized
    /// for 8 rounds. <c>After</c> is the owner's successors in ring order.
    /// </summary>
    public static async Task<(ChordTestRing Ring, List<NodeId> Ids, NodeId Owner, IReadOnlyList<NodeId> After)> BuildOwnerRunOnOneSiloAsync(
        ChordParameters parameters, string key)
    {
        var ids = Enumerable.Range(1, 12).Select(i => NodeId.FromUInt64((ulong)i * 5000)).ToList();
        var ideal = new IdealRing(parameters.Space, ids);
        var owner = ideal.Successor(parameters.Space.Hash(key));
        var after = ideal.SuccessorList(owner, ids.Count - 1);
        var silos = new Dictionary<NodeId, string> { [owner] = "A", [after[0]] = "A", [after[1]] = "A", [after[2]] = "B", [after[3]] = "C" };
        for (var i = 4; i < after.Count; i++)
        {
            silos[after[i]] = "ABC"[i % 3].ToString();
        }

        var ring = await BuildAsync(parameters, ids, rounds: 8, siloOf: id => silos[id]);
        return (ring, ids, owner, after);
    }

    /// <summary>One round of every live peer's periodic work, in id order.</summary>
    public async Task RoundAsync()
    {
        foreach (var id in Live.ToList())
        {
            if (IsLive(id))
            {
                await ChordMaintenance.RoundAsync(Node(id));
            }
        }
    }

    public async Task RoundsAsync(int rounds)
    {
        for (var r = 0; r < rounds; r++)
        {
            await RoundAsync();
        }
    }

    public Task<PutResult> PutAsync(NodeId from, string key, string value) => ChordKeys.PutAsync(Node(from), _peers[from], "test", key, value);

    public Task<GetResult> GetAsync(NodeId from, string key) => ChordKeys.GetAsync(Node(from), "test", key);

    /// <summary>Every pointer that differs from the ideal ring's, in words (empty when the ring is exact).</summary>
    public List<string> Differences()
    {
        var ideal = Ideal;
        var problems = new List<string>();
        foreach (var id in ideal.Ids)
        {
            var node = Node(id);
            var name = Space.Format(id);
            var predecessor = ideal.Count == 1 ? (NodeId?)null : ideal.Predecessor(id);
            if (node.Predecessor != predecessor && !(ideal.Count == 1 && node.Predecessor == id))
            {
                problems.Add($"{name}: predecessor {Format(node.Predecessor)}, ideal {Format(predecessor)}");
            }

            var successors = ideal.SuccessorList(id, Parameters.Successors);
            if (!node.Successors.Nodes.SequenceEqual(successors))
            {
                problems.Add($"{name}: successors [{string.Join(' ', node.Successors.Nodes.Select(Space.Format))}], ideal [{string.Join(' ', successors.Select(Space.Format))}]");
            }

            for (var i = 0; i < Space.Bits; i++)
            {
                var finger = ideal.Successor(node.Fingers.Start(i));
                if (node.Fingers[i] != finger)
                {
                    problems.Add($"{name}: finger {i} {Space.Format(node.Fingers[i])}, ideal {Space.Format(finger)}");
                }
            }
        }

        return problems;
    }

    /// <summary>The live peers whose range (predecessor, n] holds the key.</summary>
    public List<NodeId> Owners(NodeId key) =>
        Live.Where(id => Node(id).Predecessor is { } p ? Space.InOpenClosed(key, p, id) : Live.Count() == 1).ToList();

    private string Format(NodeId? id) => id is { } n ? Space.Format(n) : "none";

    private ChordNode Add(NodeId id)
    {
        var node = new ChordNode(Parameters, id, $"10.0.0.{_peers.Count}:4000", _siloOf is null ? _host : _host with { Silo = _siloOf(id) });
        var peer = _peers.TryGetValue(id, out var existing) ? existing : new ChordTestPeer { Pause = Pause };
        if (peer.Node is not null)
        {
            throw new InvalidOperationException($"{Space.Format(id)} is already a member");
        }

        peer.Node = node;
        _peers[id] = peer;
        return node;
    }

    /// <summary>The five live peers that follow <paramref name="self"/> in id order (the overlay's member list of a silo).</summary>
    private Task<IReadOnlyList<NodeId>> Members(NodeId self)
    {
        var others = Live.Where(id => id != self).ToList();
        return Task.FromResult<IReadOnlyList<NodeId>>([.. others.Where(id => id > self).Concat(others.Where(id => id < self)).Take(5)]);
    }

    private IChordPeer Resolve(NodeId id)
    {
        if (!_peers.TryGetValue(id, out var peer))
        {
            peer = new ChordTestPeer { Pause = Pause };
            _peers[id] = peer;
        }

        return peer;
    }
}
