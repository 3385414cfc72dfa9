using System.Numerics;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>Ids as the page needs them: a fraction of the ring and digits.</summary>
public static class Ids
{
    /// <summary>id / 2^m in [0, 1): the angle of the peer on the ring, in turns.</summary>
    public static double Position(IdSpace space, NodeId id)
    {
        // the top 53 bits are all a double can hold; enough to tell 10^15 peers apart
        var shift = Math.Max(0, space.Bits - 53);
        var top = (double)id.ShiftRight(shift).ToBigInteger();
        return top / Math.Pow(2, space.Bits - shift);
    }

    /// <summary>id mod k: a Kelips peer's affinity group (Kelips section 2: ids are SHA-1 values, so id mod k spreads them evenly).</summary>
    public static int Mod(NodeId id, int k) => (int)(id.ToBigInteger() % new BigInteger(k));
}
