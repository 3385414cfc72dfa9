
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// For Push routing (spec 2.3, rule 3): for each servent id seen in a QueryHit, the neighbour
/// that QueryHit came from. The latest QueryHit wins and refreshes the entry's lifetime.
/// </summary>
public sealed class PushRouteTable
{
    private readonly ExpiringMap<Guid, PeerEndpoint> _routes;

    public PushRouteTable(TimeSpan lifetime) => _routes = new(lifetime);

    public int Count => _routes.Count;

    public void Record(Guid serventId, PeerEndpoint neighbour, TimeSpan now) => _routes.Set(serventId, neighbour, now);

    public bool TryGetNextHop(Guid serventId, TimeSpan now, out PeerEndpoint neighbour) =>
        _routes.TryGetValue(serventId, now, out neighbour);
}
