using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The correct Chord state for a set of live ids, computed centrally: the ground truth of `check`
/// and the state installed by a converged build.
/// </summary>
public sealed class IdealRing
{
    private readonly NodeId[] _ids;

    public IdealRing(IdSpace space, IEnumerable<NodeId> ids)
    {
        Space = space;
        _ids = ids.Distinct().Order().ToArray();
    }

    public IdSpace Space { get; }

    public IReadOnlyList<NodeId> Ids => _ids;

    public int Count => _ids.Length;

    /// <summary>successor(key): the first id equal to or following key clockwise.</summary>
    public NodeId Successor(NodeId key) => _ids[SuccessorIndex(key)];

    public int SuccessorIndex(NodeId key)
    {
        if (_ids.Length == 0)
        {
            throw new InvalidOperationException("the ring is empty");
        }

        var i = Array.BinarySearch(_ids, key);
        if (i < 0)
        {
            i = ~i;
        }

        return i == _ids.Length ? 0 : i;
    }

    /// <summary>The node just before id (id itself in a ring of one).</summary>
    public NodeId Predecessor(NodeId id)
    {
        var i = Array.BinarySearch(_ids, id);
        if (i < 0)
        {
            i = ~i;
        }

        return _ids[(i - 1 + _ids.Length) % _ids.Length];
    }

    /// <summary>The r nodes after id (fewer in a small ring; id itself in a ring of one).</summary>
    public List<NodeId> SuccessorList(NodeId id, int r)
    {
        var start = SuccessorIndex(Space.Add(id, Space.PowerOfTwo(0)));
        var list = new List<NodeId>(r);
        for (var k = 0; k < Math.Min(r, Math.Max(1, _ids.Length - 1)); k++)
        {
            list.Add(_ids[(start + k) % _ids.Length]);
        }

        return list;
    }

    /// <summary>The replica set of a key: its owner and the next replicas - 1 nodes.</summary>
    public List<NodeId> ReplicaSet(NodeId key, int replicas)
    {
        var start = SuccessorIndex(key);
        var count = Math.Min(replicas, _ids.Length);
        var list = new List<NodeId>(count);
        for (var k = 0; k < count; k++)
        {
            list.Add(_ids[(start + k) % _ids.Length]);
        }

        return list;
    }

    /// <summary>The exact finger table of id as runs (finger i = successor(id + 2^i)).</summary>
    public List<FingerRun> Fingers(NodeId id)
    {
        var runs = new List<FingerRun>();
        var i = 0;
        while (i < Space.Bits)
        {
            var node = Successor(Space.AddPowerOfTwo(id, i));
            runs.Add(new FingerRun(i, node));

            // Every later finger whose start still falls in (start_i, node] points at node too.
            var j = i + 1;
            while (j < Space.Bits && FingerStartBefore(id, j, node))
            {
                j++;
            }

            i = j;
        }

        return runs;
    }

    /// <summary>True when start_j = id + 2^j lies in (id, node] (so successor(start_j) = node).</summary>
    private bool FingerStartBefore(NodeId id, int j, NodeId node)
    {
        var start = Space.AddPowerOfTwo(id, j);
        return node == id ? _ids.Length == 1 : Space.InOpenClosed(start, id, node) && Successor(start) == node;
    }
}
