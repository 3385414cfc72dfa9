using P2POrleans.FastTrack;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// A FastTrack network in memory over the same peers as a Gnutella topology: the given supernodes
/// form their own random overlay (degree <c>supernodeDegree</c>); every other peer joins the
/// closest supernode by RTT (hop distance in the topology unless an RTT function is given) and
/// uploads its file list there. A search goes from the peer to its supernode, which answers from
/// its index and floods the supernode overlay with the Gnutella rules (TTL, duplicates, reverse
/// path); children never see the flood. Deterministic for a seed.
/// </summary>
public sealed class FastTrackSimulator
{
    private readonly Servent[] _servents;
    private readonly Dictionary<int, SupernodeDirectory> _directories = [];
    private readonly int[] _supernodeOf;
    private readonly FloodEngine _engine;

    public FastTrackSimulator(
        Topology topology,
        IReadOnlyList<SharedLibrary> libraries,
        IReadOnlyCollection<int> supernodes,
        int supernodeDegree,
        ServentOptions options,
        int seed,
        Func<int, int, TimeSpan?>? rtt = null,
        int maxChildrenPerSupernode = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(libraries);
        ArgumentNullException.ThrowIfNull(supernodes);
        ArgumentNullException.ThrowIfNull(options);
        if (libraries.Count != topology.NodeCount)
        {
            throw new ArgumentException($"{libraries.Count} libraries for {topology.NodeCount} nodes", nameof(libraries));
        }

        Supernodes = supernodes.Distinct().Order().ToArray();
        if (Supernodes.Count == 0 || Supernodes.Any(s => (uint)s >= (uint)topology.NodeCount))
        {
            throw new ArgumentException("need at least one supernode, each a node of the topology", nameof(supernodes));
        }

        var rng = new Random(seed);
        var identities = Enumerable.Range(0, topology.NodeCount).Select(n => GnutellaSimulator.NewIdentity(n, rng)).ToArray();
        _servents = new Servent[topology.NodeCount];
        foreach (var s in Supernodes)
        {
            var directory = new SupernodeDirectory(maxChildrenPerSupernode == int.MaxValue ? int.MaxValue : maxChildrenPerSupernode + 1);
            directory.AddChild(identities[s], libraries[s].Files); // a supernode indexes its own files too
            _directories.Add(s, directory);
            _servents[s] = new Servent(identities[s], directory, options, new Random(rng.Next()));
        }

        for (var node = 0; node < topology.NodeCount; node++)
        {
            _servents[node] ??= new Servent(
                identities[node], new LocalFilesResponder(identities[node], libraries[node]), options, new Random(rng.Next()));
        }

        // the supernode overlay: random regular when it can be, complete when it is that small
        var k = Supernodes.Count;
        var overlay = k - 1 <= supernodeDegree
            ? new Topology(k, from a in Enumerable.Range(0, k) from b in Enumerable.Range(0, k) where a < b select (a, b))
            : TopologyGenerator.RandomRegular(k, supernodeDegree, rng);
        foreach (var (a, b) in overlay.Edges())
        {
            Link(Supernodes[a], Supernodes[b], leaf: false);
        }

        rtt ??= HopDistanceRtt(topology, Supernodes);
        _supernodeOf = new int[topology.NodeCount];
        Array.Fill(_supernodeOf, -1);
        foreach (var s in Supernodes)
        {
            _supernodeOf[s] = s;
        }

        for (var node = 0; node < topology.NodeCount; node++)
        {
            if (_supernodeOf[node] >= 0)
            {
                continue;
            }

            var peer = node;
            if (SupernodeSelector.TryChooseClosest(Supernodes, s => rtt(peer, s), out var chosen, s => !_directories[s].IsFull))
            {
                _directories[chosen].AddChild(identities[node], libraries[node].Files);
                Link(node, chosen, leaf: true);
                _supernodeOf[node] = chosen;
                JoinMessages++;
            }
        }

        _engine = new FloodEngine(_servents);
    }

    public IReadOnlyList<int> Supernodes { get; }

    /// <summary>File-list uploads from children to their supernodes when the network formed.</summary>
    public long JoinMessages { get; }

    public Servent this[int node] => _servents[node];

    /// <summary>The supernode a peer is attached to (itself for a supernode), -1 when none was reachable.</summary>
    public int SupernodeOf(int node) => _supernodeOf[node];

    public SupernodeDirectory DirectoryOf(int supernode) => _directories[supernode];

    /// <summary>Supernodes with the highest degree in the topology: the well-connected peers.</summary>
    public static IReadOnlyList<int> PickByDegree(Topology topology, int count)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return Enumerable.Range(0, topology.NodeCount)
            .OrderByDescending(topology.Degree)
            .ThenBy(n => n)
            .Take(count)
            .ToArray();
    }

    public FloodResult Query(int origin, string searchCriteria, TimeSpan now, byte? ttl = null, ushort minimumSpeed = 0)
    {
        var start = _servents[origin].StartQuery(searchCriteria, now, minimumSpeed, ttl);
        var result = GnutellaSimulator.ToFloodResult(_engine, origin, _engine.Run(origin, start, now));
        if (!_directories.TryGetValue(origin, out var own))
        {
            return result;
        }

        // a supernode searching for itself also reads its own index, without a message
        var local = own.Answer(new Query(minimumSpeed, searchCriteria), _servents[origin].Endpoint)
            .Select(hit => new SimulatedHit(_engine.NodeOf(hit.Endpoint), hit, [origin]));
        return result with { Hits = local.Concat(result.Hits).ToArray() };
    }

    private void Link(int a, int b, bool leaf)
    {
        // a is the child when leaf: the supernode b marks it as a leaf, the child sees a normal neighbour
        _servents[a].AddNeighbour(_servents[b].Endpoint);
        _servents[b].AddNeighbour(_servents[a].Endpoint, isLeaf: leaf);
    }

    private static Func<int, int, TimeSpan?> HopDistanceRtt(Topology topology, IReadOnlyList<int> supernodes)
    {
        var distances = supernodes.ToDictionary(s => s, s => Bfs.Distances(topology, s));
        return (peer, supernode) => distances[supernode][peer] is var d and >= 0 ? TimeSpan.FromMilliseconds(10 * d) : null;
    }
}
