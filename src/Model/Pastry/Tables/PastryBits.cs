using P2POrleans.Common;

namespace P2POrleans.Pastry.Tables;

/// <summary>
/// Ids of at most 128 bits as UInt128, for the sorted-array prefix searches of the ideal state and
/// the ground-truth checker (a digit prefix is a contiguous range of the sorted ids).
/// </summary>
internal static class PastryBits
{
    public static UInt128 ToUInt128(NodeId id) => ((UInt128)id.ShiftRight(64).Low64 << 64) | id.Low64;

    public static NodeId FromUInt128(UInt128 value) => new(0, (ulong)(value >> 64), (ulong)value);

    /// <summary>2^k - 1 for k in 0..128 (UInt128 shifts are taken mod 128, so 128 is special).</summary>
    public static UInt128 Ones(int k) => k >= 128 ? UInt128.MaxValue : (UInt128.One << k) - 1;

    /// <summary>
    /// The inclusive range of m-bit values whose first <paramref name="prefixBits"/> bits are those of
    /// <paramref name="value"/>.
    /// </summary>
    public static (UInt128 Low, UInt128 High) PrefixRange(UInt128 value, int prefixBits, int idBits)
    {
        var rest = idBits - prefixBits;
        var max = Ones(idBits);
        if (prefixBits <= 0)
        {
            return (UInt128.Zero, max);
        }

        var low = rest >= 128 ? UInt128.Zero : (value >> rest) << rest;
        return (low, low | Ones(rest));
    }

    /// <summary>The range of values that share the first <paramref name="row"/> digits of owner and have <paramref name="column"/> as digit row.</summary>
    public static (UInt128 Low, UInt128 High) SlotRange(UInt128 owner, int row, int column, int digitBits, int idBits)
    {
        var prefixBits = row * digitBits;
        var width = Math.Min(digitBits, idBits - prefixBits);
        var rest = idBits - prefixBits - width;
        var prefix = prefixBits == 0 ? UInt128.Zero : owner >> (idBits - prefixBits);
        var low = ((prefix << width) | (UInt128)(uint)column) << rest;
        return (low, low | Ones(rest));
    }
}
