
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// QueryHits seen for each search (keyed by the canonical keywords of its Query), so a repeated
/// search is answered from here instead of being flooded again (the query-caching fix).
/// </summary>
public sealed class QueryCache
{
    private readonly ExpiringMap<Guid, string> _keyOfQuery;
    private readonly ExpiringMap<string, List<QueryHit>> _hits;
    private readonly int _maxHitsPerKey;

    public QueryCache(TimeSpan lifetime, int maxHitsPerKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHitsPerKey, 1);
        _keyOfQuery = new(lifetime);
        _hits = new(lifetime);
        _maxHitsPerKey = maxHitsPerKey;
    }

    public int KeyCount => _hits.Count;

    /// <summary>Remembers which search a Query id is, so its QueryHits can be filed under it.</summary>
    public void RememberQuery(Guid queryId, string key, TimeSpan now) => _keyOfQuery.Set(queryId, key, now);

    public void AddHit(Guid queryId, QueryHit hit, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(hit);
        if (!_keyOfQuery.TryGetValue(queryId, now, out var key))
        {
            return;
        }

        if (!_hits.TryGetValue(key, now, out var list))
        {
            list = [];
            _hits.TryAdd(key, list, now);
        }

        // one entry per responder: a later QueryHit from the same servent replaces the earlier one
        list.RemoveAll(h => h.ServentId == hit.ServentId);
        if (list.Count < _maxHitsPerKey)
        {
            list.Add(hit);
        }
    }

    /// <summary>The cached QueryHits for a search whose responders reach the minimum speed, leaving out those from one address.</summary>
    public IReadOnlyList<QueryHit> Lookup(string key, ushort minimumSpeed, PeerEndpoint exclude, TimeSpan now) =>
        _hits.TryGetValue(key, now, out var list)
            ? list.Where(h => h.Speed >= minimumSpeed && h.Endpoint != exclude).ToArray()
            : [];
}
