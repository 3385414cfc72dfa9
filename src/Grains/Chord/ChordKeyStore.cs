using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>The key/value pairs a peer holds, as owner or as replica; ownership is decided by ring position.</summary>
public sealed class ChordKeyStore
{
    private readonly Dictionary<string, StoredItem> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public IEnumerable<StoredItem> Items => _items.Values;

    /// <summary>Bumped at every change so replication knows when to push again.</summary>
    public long Version { get; private set; }

    public void Put(StoredItem item)
    {
        if (_items.TryGetValue(item.Key, out var existing) && existing == item)
        {
            return;
        }

        _items[item.Key] = item;
        Version++;
    }

    public string? Get(string key) => _items.TryGetValue(key, out var item) ? item.Value : null;

    /// <summary>Items whose key id lies in (from, to] on the ring.</summary>
    public List<StoredItem> InRange(IdSpace space, NodeId from, NodeId to) =>
        _items.Values.Where(i => space.InOpenClosed(i.KeyId, from, to)).ToList();

    public void Clear()
    {
        _items.Clear();
        Version++;
    }
}
