using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The r nearest successors of n (Chord ToN section 5.2). Stabilize rebuilds it from the first live
/// successor: that successor followed by its own list, truncated to r.
/// </summary>
/// <remarks>
/// The list is an exact-size array, replaced (never changed in place) on each change: no list object
/// and no spare capacity per peer (docs/bench.md, memory), and a caller holding <see cref="Nodes"/>
/// keeps a consistent copy.
/// </remarks>
public sealed class SuccessorList
{
    private NodeId[] _nodes;

    public SuccessorList(NodeId self, int capacity)
    {
        Self = self;
        Capacity = capacity;
        _nodes = [self];
    }

    public NodeId Self { get; }

    public int Capacity { get; }

    public IReadOnlyList<NodeId> Nodes => _nodes;

    /// <summary>The immediate successor (n itself in a ring of one).</summary>
    public NodeId First => _nodes[0];

    /// <summary>successor := s; list := s followed by s's list (without n itself), at most r entries.</summary>
    public void Rebuild(NodeId successor, IEnumerable<NodeId> successorsOfSuccessor)
    {
        ArgumentNullException.ThrowIfNull(successorsOfSuccessor);
        var nodes = new List<NodeId>(Capacity) { successor };
        if (successor != Self)
        {
            foreach (var node in successorsOfSuccessor)
            {
                if (nodes.Count >= Capacity || node == Self)
                {
                    break;
                }

                if (!nodes.Contains(node))
                {
                    nodes.Add(node);
                }
            }
        }

        _nodes = [.. nodes];
    }

    public void Replace(IEnumerable<NodeId> nodes)
    {
        NodeId[] taken = [.. nodes.Take(Capacity)];
        _nodes = taken.Length == 0 ? [Self] : taken;
    }

    /// <summary>Drops a dead successor; an empty list falls back to n itself.</summary>
    public bool Remove(NodeId node)
    {
        var at = Array.IndexOf(_nodes, node);
        if (at < 0)
        {
            return false;
        }

        _nodes = _nodes.Length == 1 ? [Self] : [.. _nodes.AsSpan(0, at), .. _nodes.AsSpan(at + 1)];
        return true;
    }

    /// <summary>The first min(k, |list|) distinct successors other than n: where replicas go.</summary>
    public IReadOnlyList<NodeId> Take(int k) => _nodes.Where(n => n != Self).Take(k).ToList();
}
