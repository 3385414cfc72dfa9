using System.Text;

namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>A bencoded byte string, <c>&lt;length&gt;:&lt;bytes&gt;</c>; text is UTF-8 by convention.</summary>
public sealed class BString : BValue
{
    private readonly byte[] _bytes;

    public BString(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    public BString(string text) => _bytes = Encoding.UTF8.GetBytes(text);

    public ReadOnlySpan<byte> Span => _bytes;

    public int Length => _bytes.Length;

    public string Text => Encoding.UTF8.GetString(_bytes);

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public override bool Equals(BValue? other) => other is BString s && s.Span.SequenceEqual(Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Text;
}
