using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// Runs servents against each other in memory: every link takes one time step and messages are
/// handled in FIFO order, which is the order of arrival with equal link latencies, so the first
/// copy of a flood reaches each node along a shortest path. The paths are tracked here, outside
/// the servents, so tests can compare them with what the servents' routing did.
/// </summary>
public sealed class FloodEngine
{
    private const long MaxMessages = 50_000_000;
    private readonly IReadOnlyList<Servent> _servents;
    private readonly Dictionary<PeerEndpoint, int> _nodeOf = [];

    public FloodEngine(IReadOnlyList<Servent> servents)
    {
        ArgumentNullException.ThrowIfNull(servents);
        _servents = servents;
        for (var i = 0; i < servents.Count; i++)
        {
            _nodeOf.Add(servents[i].Endpoint, i);
        }
    }

    public int NodeOf(PeerEndpoint endpoint) => _nodeOf.TryGetValue(endpoint, out var node)
        ? node
        : throw new KeyNotFoundException($"no simulated servent at {endpoint}");

    /// <param name="origin">the node that originated <paramref name="start"/></param>
    /// <param name="start">what its servent returned</param>
    /// <param name="now">the time every servent sees during this run</param>
    /// <param name="observe">called for every transmission (sender node, receiver node, descriptor), for checks</param>
    public FloodTrace Run(int origin, Originated start, TimeSpan now, Action<int, int, Descriptor>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        var trace = new FloodTrace();
        var originPath = new PathNode(origin, null);
        trace.Accept(origin, originPath.ToList());
        var queue = new Queue<(int From, Outgoing Message, PathNode Path)>();
        foreach (var message in start.Send)
        {
            queue.Enqueue((origin, message, originPath));
        }

        while (queue.TryDequeue(out var transit))
        {
            trace.CountMessage(transit.Message.Descriptor.Type);
            if (trace.Messages > MaxMessages)
            {
                throw new InvalidOperationException("the flood does not terminate");
            }

            var to = NodeOf(transit.Message.To);
            var incoming = transit.Message.Descriptor;
            observe?.Invoke(transit.From, to, incoming);
            var path = new PathNode(to, transit.Path);
            var output = _servents[to].Receive(_servents[transit.From].Endpoint, incoming, now);
            if (output.Dropped is null && incoming.Id == start.Descriptor.Id && incoming.Type == start.Descriptor.Type)
            {
                trace.Accept(to, path.ToList());
            }

            foreach (var delivered in output.Delivered)
            {
                trace.Deliver(new FloodDelivery(to, delivered, path.ToList()));
            }

            foreach (var message in output.Send)
            {
                // a forwarded copy carries its path on; a response starts a new one here
                var forwarded = message.Descriptor.Type == incoming.Type && message.Descriptor.Id == incoming.Id;
                queue.Enqueue((to, message, forwarded ? path : new PathNode(to, null)));
            }
        }

        return trace;
    }

    /// <summary>A persistent list of the nodes a message crossed, newest first, so copies share their prefix.</summary>
    private sealed class PathNode(int node, PathNode? previous)
    {
        public IReadOnlyList<int> ToList()
        {
            var list = new List<int>();
            for (var p = this; p is not null; p = p.Previous)
            {
                list.Add(p.Node);
            }

            list.Reverse();
            return list;
        }

        private int Node { get; } = node;

        private PathNode? Previous { get; } = previous;
    }
}
