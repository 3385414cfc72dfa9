using System.Text;

namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>
/// A bencoded dictionary, <c>d ... e</c>: byte-string keys, always kept sorted as raw bytes
/// (BEP 3), so encoding is canonical and a decoded dictionary re-encodes to the same bytes.
/// </summary>
public sealed class BDictionary : BValue
{
    private readonly SortedDictionary<byte[], BValue> _entries = new(RawBytesComparer.Instance);

    public BDictionary()
    {
    }

    public BDictionary(IEnumerable<KeyValuePair<string, BValue>> entries)
    {
        foreach (var (key, value) in entries)
        {
            this[key] = value;
        }
    }

    public int Count => _entries.Count;

    /// <summary>Entries in key order (raw bytes).</summary>
    public IEnumerable<KeyValuePair<byte[], BValue>> Entries => _entries;

    public IEnumerable<string> Keys => _entries.Keys.Select(k => Encoding.UTF8.GetString(k));

    public BValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set => _entries[Encoding.UTF8.GetBytes(key)] = value;
    }

    public void Set(ReadOnlySpan<byte> key, BValue value) => _entries[key.ToArray()] = value;

    public bool ContainsKey(string key) => _entries.ContainsKey(Encoding.UTF8.GetBytes(key));

    public bool TryGetValue(string key, out BValue value) =>
        _entries.TryGetValue(Encoding.UTF8.GetBytes(key), out value!);

    public override bool Equals(BValue? other)
    {
        if (other is not BDictionary d || d.Count != Count)
        {
            return false;
        }

        using var mine = _entries.GetEnumerator();
        using var theirs = d._entries.GetEnumerator();
        while (mine.MoveNext() && theirs.MoveNext())
        {
            if (!mine.Current.Key.AsSpan().SequenceEqual(theirs.Current.Key) || !mine.Current.Value.Equals(theirs.Current.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _entries)
        {
            hash.AddBytes(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}
