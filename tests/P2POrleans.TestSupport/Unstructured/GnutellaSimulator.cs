using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// A Gnutella network in memory: one <see cref="Servent"/> per node of a topology, neighbours
/// being the topology's links, node i at <see cref="PeerEndpoint.ForNode"/>(i). Servents keep their
/// state between operations, so caches and push routes carry over. Deterministic for a seed.
/// </summary>
public sealed class GnutellaSimulator
{
    private readonly Servent[] _servents;
    private readonly FloodEngine _engine;
    private readonly IReadOnlySet<int> _firewalled;

    public GnutellaSimulator(
        Topology topology, IReadOnlyList<SharedLibrary> libraries, ServentOptions options, int seed, IReadOnlySet<int>? firewalled = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(libraries);
        ArgumentNullException.ThrowIfNull(options);
        if (libraries.Count != topology.NodeCount)
        {
            throw new ArgumentException($"{libraries.Count} libraries for {topology.NodeCount} nodes", nameof(libraries));
        }

        Topology = topology;
        _firewalled = firewalled ?? new HashSet<int>();
        var rng = new Random(seed);
        _servents = new Servent[topology.NodeCount];
        for (var node = 0; node < topology.NodeCount; node++)
        {
            var identity = NewIdentity(node, rng);
            _servents[node] = new Servent(identity, new LocalFilesResponder(identity, libraries[node]), options, new Random(rng.Next()));
        }

        foreach (var (a, b) in topology.Edges())
        {
            _servents[a].AddNeighbour(_servents[b].Endpoint);
            _servents[b].AddNeighbour(_servents[a].Endpoint);
        }

        _engine = new FloodEngine(_servents);
    }

    public Topology Topology { get; }

    public IReadOnlyList<Servent> Servents => _servents;

    public Servent this[int node] => _servents[node];

    public int NodeOf(PeerEndpoint endpoint) => _engine.NodeOf(endpoint);

    public bool IsFirewalled(int node) => _firewalled.Contains(node);

    /// <summary>Identities shared by the simulators: endpoint from the node index, servent id and speed from the seed.</summary>
    internal static ServentIdentity NewIdentity(int node, Random rng)
    {
        Span<byte> id = stackalloc byte[16];
        rng.NextBytes(id);
        uint[] speeds = [56, 128, 384, 1_000, 10_000]; // modem to LAN, kb/s
        return new ServentIdentity(new Guid(id), PeerEndpoint.ForNode(node), speeds[rng.Next(speeds.Length)]);
    }

    public FloodResult Query(int origin, string searchCriteria, TimeSpan now, byte? ttl = null, ushort minimumSpeed = 0)
    {
        var start = _servents[origin].StartQuery(searchCriteria, now, minimumSpeed, ttl);
        return ToFloodResult(_engine, origin, _engine.Run(origin, start, now));
    }

    public PingResult Ping(int origin, TimeSpan now, byte? ttl = null)
    {
        var start = _servents[origin].StartPing(now, ttl);
        var trace = _engine.Run(origin, start, now);
        var pongs = trace.Deliveries.Where(d => d.Node == origin).Select(d => (Pong)d.Descriptor.Payload).ToArray();
        return new PingResult(trace.AcceptedPaths.Keys.ToHashSet(), trace.Messages, pongs);
    }

    /// <summary>Sends a Push from <paramref name="requester"/> for a file of the servent that sent <paramref name="hit"/>.</summary>
    public PushResult Push(int requester, SimulatedHit hit, uint fileIndex, TimeSpan now, byte? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var start = _servents[requester].StartPush(hit.Hit.ServentId, fileIndex, now, ttl);
        var trace = _engine.Run(requester, start, now);
        var delivery = trace.Deliveries.FirstOrDefault(d => d.Descriptor.Id == start.Descriptor.Id && d.Descriptor.Payload is Push);
        IReadOnlyList<int> path = delivery is null ? [] : delivery.Path;
        return new PushResult(delivery is not null && delivery.Node == hit.Responder, path, trace.Messages, _servents[requester].Endpoint);
    }

    /// <summary>Direct when the responder accepts connections; else a Push if the requester does; else failed.</summary>
    public (DownloadRoute Route, PushResult? Push) Download(int requester, SimulatedHit hit, uint fileIndex, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(hit);
        if (!IsFirewalled(hit.Responder))
        {
            return (DownloadRoute.Direct, null);
        }

        if (IsFirewalled(requester))
        {
            return (DownloadRoute.Failed, null);
        }

        var push = Push(requester, hit, fileIndex, now);
        return (push.Delivered ? DownloadRoute.Push : DownloadRoute.Failed, push);
    }

    internal static FloodResult ToFloodResult(FloodEngine engine, int origin, FloodTrace trace)
    {
        var hits = trace.Deliveries
            .Where(d => d.Node == origin && d.Descriptor.Payload is QueryHit)
            .Select(d =>
            {
                var hit = (QueryHit)d.Descriptor.Payload;
                return new SimulatedHit(engine.NodeOf(hit.Endpoint), hit, d.Path);
            })
            .ToArray();
        return new FloodResult(
            trace.AcceptedPaths.Keys.ToHashSet(),
            trace.Messages,
            trace.MessagesOf(PayloadType.Query),
            trace.MessagesOf(PayloadType.QueryHit),
            hits,
            trace.AcceptedPaths);
    }
}
