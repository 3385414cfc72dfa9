namespace P2POrleans.Common;

/// <summary>
/// The key/value pairs a peer of a distributed hash table holds (Chord, Pastry), as owner or as
/// replica; which keys a peer owns is the protocol's rule, not the store's. Every change bumps
/// <see cref="Version"/>, so replication and durable writes know when to run again.
/// </summary>
public sealed class KeyValueStore
{
    // Made at the first put: most peers of a large overlay hold no key, and an empty dictionary still costs about 100 bytes.
    private Dictionary<string, StoredItem>? _items;

    public int Count => _items?.Count ?? 0;

    public IEnumerable<StoredItem> Items => (IEnumerable<StoredItem>?)_items?.Values ?? [];

    /// <summary>Bumped at every change.</summary>
    public long Version { get; private set; }

    /// <summary>Stores or replaces an item; storing an equal item again changes nothing.</summary>
    public void Put(StoredItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _items ??= new(StringComparer.Ordinal);
        if (_items.TryGetValue(item.Key, out var existing) && existing.Equals(item))
        {
            return;
        }

        _items[item.Key] = item;
        Version++;
    }

    public string? Get(string key) => Find(key)?.Value;

    /// <summary>The stored item of a key, or null.</summary>
    public StoredItem? Find(string key) => _items is not null && _items.TryGetValue(key, out var item) ? item : null;

    public bool Remove(string key)
    {
        if (_items is null || !_items.Remove(key))
        {
            return false;
        }

        Version++;
        return true;
    }

    /// <summary>Items whose key id lies in (from, to] on the ring.</summary>
    public List<StoredItem> InRange(IdSpace space, NodeId from, NodeId to) =>
        Items.Where(i => space.InOpenClosed(i.KeyId, from, to)).ToList();

    public IReadOnlyList<NodeId> KeyIds() => [.. Items.Select(i => i.KeyId)];

    public void Clear()
    {
        _items?.Clear();
        Version++;
    }
}
