namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// A dictionary whose entries expire a fixed lifetime after they were stored (or last refreshed).
/// Time is injected; it must not go backwards (an earlier time is treated as the latest seen).
/// Expired entries are purged lazily, oldest first, in amortised O(1).
/// </summary>
public sealed class ExpiringMap<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, (TValue Value, TimeSpan StoredAt)> _map = [];
    private readonly Queue<(TKey Key, TimeSpan StoredAt)> _order = new();
    private TimeSpan _latest = TimeSpan.MinValue;

    public ExpiringMap(TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        Lifetime = lifetime;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Live entries as of the last call that passed a time.</summary>
    public int Count => _map.Count;

    public void Purge(TimeSpan now)
    {
        if (now > _latest)
        {
            _latest = now;
        }

        while (_order.TryPeek(out var head) && _latest - head.StoredAt >= Lifetime)
        {
            _order.Dequeue();
            if (_map.TryGetValue(head.Key, out var entry) && entry.StoredAt == head.StoredAt)
            {
                _map.Remove(head.Key);
            }
        }
    }

    /// <summary>Stores the value unless the key is live already; false for a live key.</summary>
    public bool TryAdd(TKey key, TValue value, TimeSpan now)
    {
        Purge(now);
        if (!_map.TryAdd(key, (value, _latest)))
        {
            return false;
        }

        _order.Enqueue((key, _latest));
        return true;
    }

    /// <summary>Stores or replaces the value and restarts its lifetime.</summary>
    public void Set(TKey key, TValue value, TimeSpan now)
    {
        Purge(now);
        _map[key] = (value, _latest);
        _order.Enqueue((key, _latest));
    }

    public bool TryGetValue(TKey key, TimeSpan now, out TValue value)
    {
        Purge(now);
        if (_map.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public bool ContainsKey(TKey key, TimeSpan now) => TryGetValue(key, now, out _);

    public bool Remove(TKey key) => _map.Remove(key);

    /// <summary>Live entries, most recently stored first.</summary>
    public IReadOnlyList<(TKey Key, TValue Value, TimeSpan StoredAt)> Entries(TimeSpan now)
    {
        Purge(now);
        return _map.Select(kv => (kv.Key, kv.Value.Value, kv.Value.StoredAt))
            .OrderByDescending(e => e.StoredAt)
            .ToArray();
    }
}
