namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>Orders byte strings as raw bytes (BEP 3: dictionary keys sorted as raw strings).</summary>
internal sealed class RawBytesComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static readonly RawBytesComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
