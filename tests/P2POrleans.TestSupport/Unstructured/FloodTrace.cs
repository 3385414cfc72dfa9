using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// Everything that happened while an originated descriptor and its consequences spread through a
/// simulated overlay: each link transmission, which nodes accepted the originated descriptor (and
/// along which path its accepted copy came), and what was delivered to whom along which path.
/// </summary>
public sealed class FloodTrace
{
    private readonly long[] _messagesByType = new long[256];
    private readonly Dictionary<int, IReadOnlyList<int>> _acceptedPaths = [];
    private readonly List<FloodDelivery> _deliveries = [];

    public long Messages { get; private set; }

    public long MessagesOf(PayloadType type) => _messagesByType[(byte)type];

    /// <summary>Node → path (originator first) of the first copy of the originated descriptor it accepted; the originator maps to itself.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>> AcceptedPaths => _acceptedPaths;

    /// <summary>Descriptors delivered to a node as their destination, in order of arrival.</summary>
    public IReadOnlyList<FloodDelivery> Deliveries => _deliveries;

    internal void CountMessage(PayloadType type)
    {
        Messages++;
        _messagesByType[(byte)type]++;
    }

    internal void Accept(int node, IReadOnlyList<int> path) => _acceptedPaths.TryAdd(node, path);

    internal void Deliver(FloodDelivery delivery) => _deliveries.Add(delivery);
}
