namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>
/// A bencoded value (BEP 3): integer, byte string, list or dictionary. Equality is structural.
/// A value produced by <see cref="Bencode.Decode(ReadOnlyMemory{byte}, int)"/> remembers the exact
/// bytes it was decoded from in <see cref="Raw"/>, so the info hash can be taken over the bytes as
/// they appear in the file.
/// </summary>
public abstract class BValue : IEquatable<BValue>
{
    private protected BValue()
    {
    }

    /// <summary>The bytes this value was decoded from; empty for a value built in code.</summary>
    public ReadOnlyMemory<byte> Raw { get; internal set; }

    public abstract bool Equals(BValue? other);

    public override bool Equals(object? obj) => obj is BValue other && Equals(other);

    public abstract override int GetHashCode();

    public byte[] Encode() => Bencode.Encode(this);
}
