using P2POrleans.Common;

namespace P2POrleans.Pastry.Tables;

/// <summary>
/// "Numerically closest" (section 2): distance the shorter way round the circle. Two distinct ids
/// at the same distance from a key (key halfway between them) are ordered by a fixed rule — the one
/// clockwise of the key wins — so every node agrees on a single destination.
/// </summary>
public static class PastryMetric
{
    /// <summary>Negative when a is closer to key than b, 0 when a == b, positive otherwise.</summary>
    public static int Compare(IdSpace space, NodeId key, NodeId a, NodeId b)
    {
        if (a == b)
        {
            return 0;
        }

        var c = space.RingDistance(a, key).CompareTo(space.RingDistance(b, key));
        return c != 0 ? c : space.Distance(key, a).CompareTo(space.Distance(key, b));
    }

    public static bool IsCloser(IdSpace space, NodeId key, NodeId a, NodeId b) => Compare(space, key, a, b) < 0;
}
