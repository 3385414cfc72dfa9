namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>A bencoded list, <c>l ... e</c>.</summary>
public sealed class BList : BValue
{
    private readonly List<BValue> _items;

    public BList(IEnumerable<BValue> items) => _items = [.. items];

    public BList(params BValue[] items) => _items = [.. items];

    public IReadOnlyList<BValue> Items => _items;

    public int Count => _items.Count;

    public BValue this[int index] => _items[index];

    public override bool Equals(BValue? other) =>
        other is BList l && l._items.Count == _items.Count && l._items.SequenceEqual(_items);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
