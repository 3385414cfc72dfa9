namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>A bencoded integer, <c>i&lt;n&gt;e</c>. Limited to 64 bits (ample for lengths).</summary>
public sealed class BInteger(long value) : BValue
{
    public long Value { get; } = value;

    public override bool Equals(BValue? other) => other is BInteger i && i.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
