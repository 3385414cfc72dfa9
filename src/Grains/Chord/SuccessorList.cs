using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The r nearest successors of n (Chord ToN section 5.2). Stabilize rebuilds it from the first live
/// successor: that successor followed by its own list, truncated to r.
/// </summary>
public sealed class SuccessorList
{
    private readonly List<NodeId> _nodes = [];

    public SuccessorList(NodeId self, int capacity)
    {
        Self = self;
        Capacity = capacity;
        _nodes.Add(self);
    }

    public NodeId Self { get; }

    public int Capacity { get; }

    public IReadOnlyList<NodeId> Nodes => _nodes;

    /// <summary>The immediate successor (n itself in a ring of one).</summary>
    public NodeId First => _nodes.Count > 0 ? _nodes[0] : Self;

    /// <summary>successor := s; list := s followed by s's list (without n itself), at most r entries.</summary>
    public void Rebuild(NodeId successor, IEnumerable<NodeId> successorsOfSuccessor)
    {
        _nodes.Clear();
        _nodes.Add(successor);
        if (successor == Self)
        {
            return;
        }

        foreach (var node in successorsOfSuccessor)
        {
            if (_nodes.Count >= Capacity || node == Self)
            {
                break;
            }

            if (!_nodes.Contains(node))
            {
                _nodes.Add(node);
            }
        }
    }

    public void Replace(IEnumerable<NodeId> nodes)
    {
        _nodes.Clear();
        _nodes.AddRange(nodes.Take(Capacity));
        if (_nodes.Count == 0)
        {
            _nodes.Add(Self);
        }
    }

    /// <summary>Drops a dead successor; an empty list falls back to n itself.</summary>
    public bool Remove(NodeId node)
    {
        var removed = _nodes.Remove(node);
        if (_nodes.Count == 0)
        {
            _nodes.Add(Self);
        }

        return removed;
    }

    /// <summary>The first min(k, |list|) distinct successors other than n: where replicas go.</summary>
    public IReadOnlyList<NodeId> Take(int k) => _nodes.Where(n => n != Self).Take(k).ToList();
}
