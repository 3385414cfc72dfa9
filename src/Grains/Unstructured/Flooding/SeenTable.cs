
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// The descriptors a servent has seen, keyed by (descriptor id, payload type) as spec 2.3 asks
/// (a Ping and the Pongs that answer it share an id), each with the neighbour it first came from
/// (null when this servent originated it). That neighbour is the reverse path: a Pong follows the
/// entry of its Ping, a QueryHit the entry of its Query. Entries expire after a lifetime.
/// </summary>
public sealed class SeenTable
{
    private readonly ExpiringMap<(Guid Id, PayloadType Type), PeerEndpoint?> _entries;

    public SeenTable(TimeSpan lifetime) => _entries = new(lifetime);

    public int Count => _entries.Count;

    /// <summary>Records the first sighting; false when (id, type) is already known, i.e. a duplicate.</summary>
    public bool TryAdd(Guid id, PayloadType type, PeerEndpoint? from, TimeSpan now) => _entries.TryAdd((id, type), from, now);

    public bool Contains(Guid id, PayloadType type, TimeSpan now) => _entries.ContainsKey((id, type), now);

    /// <summary>The neighbour (id, type) came from; true with null when this servent originated it.</summary>
    public bool TryGetOrigin(Guid id, PayloadType type, TimeSpan now, out PeerEndpoint? from) =>
        _entries.TryGetValue((id, type), now, out from);

    public void Purge(TimeSpan now) => _entries.Purge(now);
}
