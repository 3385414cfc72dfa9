using P2POrleans.Common;

namespace P2POrleans.Pastry.Tables;

/// <summary>
/// The leaf set L (section 2.1): the |L|/2 numerically closest smaller ids and the |L|/2 closest
/// larger ids, on the circle (it wraps past zero). "Smaller" means counter-clockwise within half the
/// circle, "larger" clockwise within half the circle (a node exactly opposite is on both sides), so
/// a side with a vacancy after a failure is never filled by a node from the far side of the ring.
/// A side with no member at all means no node exists in that half: its range reaches as far into
/// that half as the owner stays closer than the nodes on the other side (see <see cref="IsInRange"/>).
/// Each side is kept ordered closest first.
/// </summary>
public sealed class LeafSet
{
    private readonly List<NodeId> _smaller;
    private readonly List<NodeId> _larger;

    public LeafSet(NodeId owner, IdSpace space, int size = 16)
    {
        if (size < 2 || size % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "the leaf set size must be even and at least 2");
        }

        if (!space.Contains(owner))
        {
            throw new ArgumentOutOfRangeException(nameof(owner), owner, "the owner id is outside the id space");
        }

        Owner = owner;
        Space = space;
        Size = size;
        _smaller = new List<NodeId>(size / 2);
        _larger = new List<NodeId>(size / 2);
    }

    public NodeId Owner { get; }

    public IdSpace Space { get; }

    /// <summary>|L|.</summary>
    public int Size { get; }

    public int HalfSize => Size / 2;

    /// <summary>Counter-clockwise neighbours, closest first.</summary>
    public IReadOnlyList<NodeId> Smaller => _smaller;

    /// <summary>Clockwise neighbours, closest first.</summary>
    public IReadOnlyList<NodeId> Larger => _larger;

    /// <summary>Every leaf once (smaller side first).</summary>
    public IEnumerable<NodeId> All => _smaller.Concat(_larger.Where(id => !_smaller.Contains(id)));

    /// <summary>Distinct leaves.</summary>
    public int Count => _smaller.Count + _larger.Count(id => !_smaller.Contains(id));

    /// <summary>The two sides share a node (one exactly opposite the owner): together they go all the way round.</summary>
    public bool CoversWholeRing => _smaller.Exists(_larger.Contains);

    public bool Contains(NodeId node) => _smaller.Contains(node) || _larger.Contains(node);

    public LeafSides SideOf(NodeId node) =>
        (_smaller.Contains(node) ? LeafSides.Smaller : LeafSides.None) | (_larger.Contains(node) ? LeafSides.Larger : LeafSides.None);

    /// <summary>
    /// Takes the candidate on each side where it is among the |L|/2 closest, evicting the farthest.
    /// Returns the sides that took it.
    /// </summary>
    public LeafSides Consider(NodeId candidate)
    {
        if (candidate == Owner || !Space.Contains(candidate))
        {
            return LeafSides.None;
        }

        var sides = LeafSides.None;
        var ccw = Space.Distance(candidate, Owner);
        if (ccw <= Half && Insert(_smaller, candidate, ccw, smaller: true))
        {
            sides |= LeafSides.Smaller;
        }

        var cw = Space.Distance(Owner, candidate);
        if (cw <= Half && Insert(_larger, candidate, cw, smaller: false))
        {
            sides |= LeafSides.Larger;
        }

        return sides;
    }

    /// <summary>Drops a (failed or departed) leaf; returns the sides that lost it, which need repair.</summary>
    public LeafSides Remove(NodeId node)
    {
        var sides = LeafSides.None;
        if (_smaller.Remove(node))
        {
            sides |= LeafSides.Smaller;
        }

        if (_larger.Remove(node))
        {
            sides |= LeafSides.Larger;
        }

        return sides;
    }

    /// <summary>
    /// Whether the key lies between the farthest smaller and the farthest larger live leaf (the
    /// first test of the routing procedure, section 2.2). Excluded (dead) leaves do not count. A side
    /// with no member means no node exists in that half; it reaches as far as the owner stays the
    /// closest node (<see cref="EmptySideReach"/>); a side whose members are all excluded reaches only the owner.
    /// </summary>
    public bool IsInRange(NodeId key, IReadOnlySet<NodeId>? excluded = null)
    {
        if (key == Owner || (_smaller.Count == 0 && _larger.Count == 0))
        {
            return true;
        }

        NodeId low = _smaller.Count == 0 ? Space.Subtract(Owner, EmptySideReach(_larger)) : Owner;
        foreach (var id in _smaller)
        {
            if (excluded is null || !excluded.Contains(id))
            {
                low = id;
            }
        }

        NodeId high = _larger.Count == 0 ? Space.Add(Owner, EmptySideReach(_smaller)) : Owner;
        foreach (var id in _larger)
        {
            if (excluded is null || !excluded.Contains(id))
            {
                if (_smaller.Contains(id))
                {
                    return true; // the node opposite: the two sides meet
                }

                high = id;
            }
        }

        return Space.InClosedClosed(key, low, high);
    }

    /// <summary>The numerically closest of the owner and its live leaves (section 2.2).</summary>
    public NodeId Closest(NodeId key, IReadOnlySet<NodeId>? excluded = null)
    {
        var best = Owner;
        foreach (var id in _smaller.Concat(_larger))
        {
            if ((excluded is null || !excluded.Contains(id)) && PastryMetric.IsCloser(Space, key, id, best))
            {
                best = id;
            }
        }

        return best;
    }

    /// <summary>
    /// The live leaf with the largest index on one side: the node asked for its leaf set when a
    /// leaf on that side failed (section 2.4, node failure). Null when the side has no live leaf.
    /// </summary>
    public NodeId? FarthestOnSide(LeafSides side, IReadOnlySet<NodeId>? excluded = null)
    {
        var list = side switch
        {
            LeafSides.Smaller => _smaller,
            LeafSides.Larger => _larger,
            _ => throw new ArgumentOutOfRangeException(nameof(side), side, "pick one side"),
        };

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (excluded is null || !excluded.Contains(list[i]))
            {
                return list[i];
            }
        }

        return null;
    }

    /// <summary>Whether a side holds |L|/2 leaves (a short side after a failure needs repair).</summary>
    public bool IsFull(LeafSides side) => side switch
    {
        LeafSides.Smaller => _smaller.Count == HalfSize,
        LeafSides.Larger => _larger.Count == HalfSize,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "pick one side"),
    };

    public PastryLeafSetSnapshot Snapshot() => new(Owner, [.. _smaller], [.. _larger]);

    /// <summary>
    /// How far an empty side's range reaches: no node lies in that half, so a key there is ours
    /// unless a node on the other side, at distance y, is closer the other way round the circle,
    /// which happens beyond half - y/2. The other side, when not full, holds every node of its half
    /// and y is its farthest leaf; when full, a node may lie as far as half the circle away.
    /// </summary>
    private NodeId EmptySideReach(List<NodeId> otherSide)
    {
        var y = otherSide.Count > 0 && otherSide.Count < HalfSize
            ? DistanceOf(otherSide[^1], smaller: ReferenceEquals(otherSide, _smaller))
            : Half;
        return Space.Subtract(Half, y.ShiftRight(1));
    }

    /// <summary>2^(m-1): half the circle.</summary>
    private NodeId Half => Space.PowerOfTwo(Space.Bits - 1);

    private bool Insert(List<NodeId> side, NodeId candidate, NodeId distance, bool smaller)
    {
        if (side.Contains(candidate))
        {
            return false;
        }

        // Sides are short (|L|/2, 8 by default): a linear scan beats any structure.
        var index = side.Count;
        while (index > 0 && distance < DistanceOf(side[index - 1], smaller))
        {
            index--;
        }

        if (index >= HalfSize)
        {
            return false;
        }

        side.Insert(index, candidate);
        if (side.Count > HalfSize)
        {
            side.RemoveAt(side.Count - 1);
        }

        return true;
    }

    private NodeId DistanceOf(NodeId id, bool smaller) => smaller ? Space.Distance(id, Owner) : Space.Distance(Owner, id);
}
