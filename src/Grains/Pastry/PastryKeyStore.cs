using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>The key/value pairs a peer holds, as one of the k numerically closest peers of each key.</summary>
public sealed class PastryKeyStore
{
    private readonly Dictionary<string, PastryStoredItem> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public IEnumerable<PastryStoredItem> Items => _items.Values;

    /// <summary>Bumped at every change so replication knows when to push again.</summary>
    public long Version { get; private set; }

    public void Put(PastryStoredItem item)
    {
        if (_items.TryGetValue(item.Key, out var existing) && existing == item)
        {
            return;
        }

        _items[item.Key] = item;
        Version++;
    }

    public string? Get(string key) => _items.TryGetValue(key, out var item) ? item.Value : null;

    public bool Remove(string key)
    {
        if (!_items.Remove(key))
        {
            return false;
        }

        Version++;
        return true;
    }

    public void Clear()
    {
        _items.Clear();
        Version++;
    }

    public IReadOnlyList<NodeId> KeyIds() => [.. _items.Values.Select(i => i.KeyId)];
}
