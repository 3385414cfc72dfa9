using System.Globalization;
using System.Numerics;

namespace P2POrleans.Common;

/// <summary>
/// An unsigned identifier of up to 160 bits (the width of SHA-1). A fixed-size value type: the
/// low 128 bits and the high 32 bits, so ring arithmetic never allocates. The id space it lives in
/// (m bits) is carried by <see cref="IdSpace"/>, which does all modular arithmetic.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.NodeId")]
public readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    public const int MaxBits = 160;

    [Id(0)] private readonly ulong _lo;
    [Id(1)] private readonly ulong _mid;
    [Id(2)] private readonly uint _hi;

    public NodeId(uint hi, ulong mid, ulong lo)
    {
        _hi = hi;
        _mid = mid;
        _lo = lo;
    }

    internal NodeId(uint hi, UInt128 low)
    {
        _hi = hi;
        _mid = (ulong)(low >> 64);
        _lo = (ulong)low;
    }

    public static NodeId Zero => default;

    internal UInt128 Low => ((UInt128)_mid << 64) | _lo;

    internal uint High => _hi;

    public static NodeId FromUInt64(ulong value) => new(0, 0, value);

    /// <summary>Reads up to 20 bytes as a big-endian integer.</summary>
    public static NodeId FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 20)
        {
            throw new ArgumentException("a NodeId holds at most 20 bytes", nameof(bytes));
        }

        Span<byte> buffer = stackalloc byte[20];
        buffer.Clear();
        bytes.CopyTo(buffer[(20 - bytes.Length)..]);
        var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buffer);
        var mid = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(buffer[4..]);
        var lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(buffer[12..]);
        return new NodeId(hi, mid, lo);
    }

    public void WriteBigEndian(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination, _hi);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[4..], _mid);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[12..], _lo);
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[20];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public static NodeId FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > MaxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a NodeId is an unsigned integer of at most 160 bits");
        }

        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return FromBigEndian(bytes);
    }

    /// <summary>The number of significant bits (0 for zero).</summary>
    public int BitLength => _hi != 0
        ? 128 + (32 - BitOperations.LeadingZeroCount(_hi))
        : 128 - (int)UInt128.LeadingZeroCount(Low);

    public bool IsZero => _hi == 0 && _mid == 0 && _lo == 0;

    /// <summary>Bit i (0 = least significant).</summary>
    public bool Bit(int i) => i >= 128 ? ((_hi >> (i - 128)) & 1) != 0 : ((Low >> i) & 1) != 0;

    /// <summary>Logical shift right by s bits (0..160).</summary>
    public NodeId ShiftRight(int s)
    {
        if (s <= 0)
        {
            return this;
        }

        if (s >= 160)
        {
            return Zero;
        }

        if (s >= 128)
        {
            return new NodeId(0, (UInt128)(_hi >> (s - 128)));
        }

        var low = (Low >> s) | ((UInt128)_hi << (128 - s));
        return new NodeId(s >= 32 ? 0 : _hi >> s, low);
    }

    public NodeId Xor(NodeId other) => new(_hi ^ other._hi, _mid ^ other._mid, _lo ^ other._lo);

    /// <summary>Lowest 64 bits, for hashing and small ids.</summary>
    public ulong Low64 => _lo;

    public bool Equals(NodeId other) => _lo == other._lo && _mid == other._mid && _hi == other._hi;

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_lo, _mid, _hi);

    /// <summary>
    /// A hash that is the same in every process (GetHashCode is randomised per process): what seeded
    /// coordinates and per-peer random streams derive from, so a seed gives the same run anywhere.
    /// </summary>
    public ulong StableHash => Mix(_lo ^ Mix(_mid ^ Mix(_hi)));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int CompareTo(NodeId other)
    {
        var c = _hi.CompareTo(other._hi);
        if (c != 0)
        {
            return c;
        }

        c = _mid.CompareTo(other._mid);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    public static bool operator ==(NodeId a, NodeId b) => a.Equals(b);
    public static bool operator !=(NodeId a, NodeId b) => !a.Equals(b);
    public static bool operator <(NodeId a, NodeId b) => a.CompareTo(b) < 0;
    public static bool operator >(NodeId a, NodeId b) => a.CompareTo(b) > 0;
    public static bool operator <=(NodeId a, NodeId b) => a.CompareTo(b) <= 0;
    public static bool operator >=(NodeId a, NodeId b) => a.CompareTo(b) >= 0;

    /// <summary>40 lowercase hex digits: the form used inside grain keys.</summary>
    public string ToHex() => string.Create(40, this, static (span, id) =>
    {
        id._hi.TryFormat(span, out _, "x8", CultureInfo.InvariantCulture);
        id._mid.TryFormat(span[8..], out _, "x16", CultureInfo.InvariantCulture);
        id._lo.TryFormat(span[24..], out _, "x16", CultureInfo.InvariantCulture);
    });

    public string ToDecimal() => _hi == 0 ? Low.ToString(CultureInfo.InvariantCulture) : ToBigInteger().ToString(CultureInfo.InvariantCulture);

    public override string ToString() => "0x" + ToHex();
}
