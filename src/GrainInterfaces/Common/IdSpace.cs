using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace P2POrleans.Common;

/// <summary>
/// The identifier circle of an overlay: ids modulo 2^m, m in 1..160. All ring arithmetic, the
/// modular interval tests of Chord (Stoica et al. 2001, section 4) and the digit views of Pastry
/// (Rowstron and Druschel 2001, section 2) live here, as pure functions of the value.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.IdSpace")]
public readonly record struct IdSpace
{
    [Id(0)] public int Bits { get; }

    public IdSpace(int bits)
    {
        if (bits is < 1 or > NodeId.MaxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "id bits must be between 1 and 160");
        }

        Bits = bits;
    }

    public static IdSpace Sha1 => new(NodeId.MaxBits);

    /// <summary>2^m - 1, the largest id of the space.</summary>
    public NodeId Max => Truncate(new NodeId(uint.MaxValue, ulong.MaxValue, ulong.MaxValue));

    public bool Contains(NodeId id) => id.BitLength <= Bits;

    /// <summary>id mod 2^m.</summary>
    public NodeId Truncate(NodeId id)
    {
        if (Bits >= 128)
        {
            var hiMask = Bits == 160 ? uint.MaxValue : (1u << (Bits - 128)) - 1;
            return new NodeId(id.High & hiMask, id.Low);
        }

        return new NodeId(0, id.Low & ((UInt128.One << Bits) - 1));
    }

    public NodeId Add(NodeId a, NodeId b)
    {
        var low = a.Low + b.Low;
        var carry = low < a.Low ? 1u : 0u;
        return Truncate(new NodeId(unchecked(a.High + b.High + carry), low));
    }

    public NodeId Subtract(NodeId a, NodeId b)
    {
        var low = a.Low - b.Low;
        var borrow = a.Low < b.Low ? 1u : 0u;
        return Truncate(new NodeId(unchecked(a.High - b.High - borrow), low));
    }

    /// <summary>2^i mod 2^m.</summary>
    public NodeId PowerOfTwo(int i)
    {
        if (i < 0 || i >= Bits)
        {
            return NodeId.Zero;
        }

        return i >= 128 ? new NodeId(1u << (i - 128), UInt128.Zero) : new NodeId(0, UInt128.One << i);
    }

    /// <summary>a + 2^i mod 2^m: the start of finger i+1 of a (Chord section 4.3, 1-based fingers).</summary>
    public NodeId AddPowerOfTwo(NodeId a, int i) => Add(a, PowerOfTwo(i));

    /// <summary>Clockwise distance from a to b: (b - a) mod 2^m.</summary>
    public NodeId Distance(NodeId from, NodeId to) => Subtract(to, from);

    /// <summary>Numerical (shorter way round the circle) distance, as Pastry's "numerically closest".</summary>
    public NodeId RingDistance(NodeId a, NodeId b)
    {
        var cw = Subtract(b, a);
        var ccw = Subtract(a, b);
        return cw <= ccw ? cw : ccw;
    }

    /// <summary>x in (a, b) going clockwise; (a, a) is the whole circle except a.</summary>
    public bool InOpenOpen(NodeId x, NodeId a, NodeId b)
    {
        if (a == b)
        {
            return x != a;
        }

        var dx = Distance(a, x);
        return !dx.IsZero && dx < Distance(a, b);
    }

    /// <summary>x in (a, b] clockwise; (a, a] is the whole circle (a ring of one node owns every key).</summary>
    public bool InOpenClosed(NodeId x, NodeId a, NodeId b)
    {
        if (a == b)
        {
            return true;
        }

        var dx = Distance(a, x);
        return !dx.IsZero && dx <= Distance(a, b);
    }

    /// <summary>x in [a, b) clockwise; [a, a) is the whole circle.</summary>
    public bool InClosedOpen(NodeId x, NodeId a, NodeId b)
    {
        if (a == b)
        {
            return true;
        }

        return Distance(a, x) < Distance(a, b);
    }

    /// <summary>x in [a, b] clockwise; [a, a] is the single point a.</summary>
    public bool InClosedClosed(NodeId x, NodeId a, NodeId b) => Distance(a, x) <= Distance(a, b);

    /// <summary>Number of digits of <paramref name="digitBits"/> bits in an m-bit id (the last may be short).</summary>
    public int DigitCount(int digitBits) => (Bits + digitBits - 1) / digitBits;

    /// <summary>Digit i (0 = most significant) of x read in base 2^digitBits.</summary>
    public int Digit(NodeId x, int i, int digitBits)
    {
        ValidateDigitBits(digitBits);
        var top = Bits - (i * digitBits);
        if (i < 0 || top <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(i), i, "digit index outside the id");
        }

        var width = Math.Min(digitBits, top);
        var shifted = x.ShiftRight(top - width);
        return (int)(shifted.Low64 & ((1UL << width) - 1));
    }

    /// <summary>Returns x with digit i replaced by value (used to name routing-table slots).</summary>
    public NodeId WithDigit(NodeId x, int i, int value, int digitBits)
    {
        var big = x.ToBigInteger();
        var top = Bits - (i * digitBits);
        var width = Math.Min(digitBits, top);
        var shift = top - width;
        var mask = ((BigInteger.One << width) - 1) << shift;
        big = (big & ~mask) | ((BigInteger)value << shift);
        return NodeId.FromBigInteger(big & ((BigInteger.One << Bits) - 1));
    }

    /// <summary>Length of the common prefix of a and b, in bits of the m-bit representation.</summary>
    public int SharedPrefixBits(NodeId a, NodeId b)
    {
        var diff = a.Xor(b);
        var len = diff.BitLength;
        return Bits - len;
    }

    /// <summary>Length of the common prefix of a and b in digits of base 2^digitBits.</summary>
    public int SharedPrefixDigits(NodeId a, NodeId b, int digitBits)
    {
        ValidateDigitBits(digitBits);
        var bits = SharedPrefixBits(a, b);
        return bits >= Bits ? DigitCount(digitBits) : bits / digitBits;
    }

    /// <summary>SHA-1 of the text, keeping its most significant m bits (Chord section 4.2).</summary>
    public NodeId Hash(string text)
    {
        Span<byte> digest = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes(text), digest);
        return NodeId.FromBigEndian(digest).ShiftRight(NodeId.MaxBits - Bits);
    }

    /// <summary>Parses a decimal or 0x-hexadecimal id and checks that it fits in m bits.</summary>
    public bool TryParse(string? text, out NodeId id, out string error)
    {
        id = NodeId.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "an id is required (decimal or 0x-hex)";
            return false;
        }

        BigInteger value;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var digits = text[2..];
            if (digits.Length == 0 || digits.Length > 64 || !digits.All(Uri.IsHexDigit))
            {
                error = $"'{Shown(text)}' is not a hexadecimal id";
                return false;
            }

            value = BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        else
        {
            if (text.Length > 60 || !text.All(char.IsAsciiDigit))
            {
                error = $"'{Shown(text)}' is not a decimal or 0x-hex id";
                return false;
            }

            value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        if (value.GetBitLength() > Bits)
        {
            error = $"id {Shown(text)} does not fit in {Bits} bits (largest is {Format(Max)})";
            return false;
        }

        id = NodeId.FromBigInteger(value);
        error = "";
        return true;
    }

    /// <summary>User text echoed in an error: one line (control characters as '?'), at most 40 characters.</summary>
    private static string Shown(string text)
    {
        var line = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return line.Length <= 40 ? line : line[..40] + "…";
    }

    public NodeId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Decimal for small spaces (so the paper's examples read naturally), 0x-hex otherwise.</summary>
    public string Format(NodeId id)
    {
        if (Bits <= 32)
        {
            return id.Low64.ToString(CultureInfo.InvariantCulture);
        }

        var hex = id.ToHex();
        var digits = (Bits + 3) / 4;
        return "0x" + hex[(40 - digits)..];
    }

    /// <summary>A short form for tables: full for small spaces, the first 8 hex digits otherwise.</summary>
    public string Short(NodeId id)
    {
        var full = Format(id);
        return full.Length > 12 ? full[..10] + "…" : full;
    }

    private static void ValidateDigitBits(int digitBits)
    {
        if (digitBits is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(digitBits), digitBits, "digits are 1 to 8 bits");
        }
    }
}
