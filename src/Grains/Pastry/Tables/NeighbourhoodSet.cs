using P2POrleans.Common;

namespace P2POrleans.Pastry.Tables;

/// <summary>
/// The neighbourhood set M (section 2.1): the |M| nodes closest to the owner by the proximity
/// metric (RTT), closest first; ties go to the smaller id so the set does not depend on arrival
/// order. Not used in routing; it seeds a joining node's proximity information (section 2.4).
/// </summary>
public sealed class NeighbourhoodSet
{
    private readonly List<(NodeId Node, double Rtt)> _members;
    private readonly Func<NodeId, NodeId, double> _rtt;

    public NeighbourhoodSet(NodeId owner, int size, Func<NodeId, NodeId, double> rtt)
    {
        ArgumentNullException.ThrowIfNull(rtt);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Owner = owner;
        Size = size;
        _rtt = rtt;
        _members = new List<(NodeId, double)>(Math.Min(size, 64));
    }

    public NodeId Owner { get; }

    /// <summary>|M|.</summary>
    public int Size { get; }

    public int Count => _members.Count;

    /// <summary>Members, closest first.</summary>
    public IReadOnlyList<NodeId> Members => _members.ConvertAll(m => m.Node);

    /// <summary>The RTT measured when the member was taken, or null for a non-member.</summary>
    public double? RttOf(NodeId node)
    {
        var i = _members.FindIndex(m => m.Node == node);
        return i < 0 ? null : _members[i].Rtt;
    }

    public bool Contains(NodeId node)
    {
        // A plain loop: the ideal-state builder asks this for thousands of candidates per node (docs/bench.md, Pastry build).
        foreach (var (member, _) in _members)
        {
            if (member == node)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes the candidate if it is among the |M| closest; returns whether it is a member now.</summary>
    public bool Consider(NodeId candidate)
    {
        if (candidate == Owner || Size == 0)
        {
            return false;
        }

        return Consider(candidate, _rtt(Owner, candidate));
    }

    /// <summary>As <see cref="Consider(NodeId)"/> with an RTT already measured (the ideal-state builder reuses its measurements).</summary>
    internal bool Consider(NodeId candidate, double rtt)
    {
        if (candidate == Owner || Size == 0)
        {
            return false;
        }

        if (_members.Count == Size && !IsBefore(rtt, candidate, _members[^1]))
        {
            // Cheap rejection first: the ideal-state builder offers thousands of far candidates.
            return Contains(candidate);
        }

        if (Contains(candidate))
        {
            return true;
        }

        var index = _members.Count;
        while (index > 0 && IsBefore(rtt, candidate, _members[index - 1]))
        {
            index--;
        }

        if (index >= Size)
        {
            return false;
        }

        _members.Insert(index, (candidate, rtt));
        if (_members.Count > Size)
        {
            _members.RemoveAt(_members.Count - 1);
        }

        return true;
    }

    public bool Remove(NodeId node) => _members.RemoveAll(m => m.Node == node) > 0;

    public PastryNeighbourhoodSnapshot Snapshot() => new(Owner, [.. _members.Select(m => m.Node)]);

    private static bool IsBefore(double rtt, NodeId node, (NodeId Node, double Rtt) other) =>
        rtt < other.Rtt || (rtt == other.Rtt && node < other.Node);
}
