using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The finger table of node n (Chord section 4.3): finger i (0-based here) should be
/// successor(n + 2^i). With m = 160 most fingers repeat the successor, so the table is stored as runs
/// of consecutive fingers that point at the same node: about log2 N runs instead of m entries.
/// Any live node is a safe finger (routing only needs a node in (n, key)); fix_fingers makes them exact.
/// </summary>
/// <remarks>
/// The runs are two exact-size arrays (first finger of each run, its node), replaced on each change:
/// a run then costs 25 bytes instead of a 32-byte <see cref="FingerRun"/> in a list, and there is no
/// list object; at 10^6 peers that is about 150 bytes a peer (docs/bench.md, memory). Fingers change
/// only at a join, a failure or fix_fingers, so the copies are rare.
/// </remarks>
public sealed class FingerTable
{
    private readonly IdSpace _space;
    private byte[] _from; // m <= 160, so a finger index fits in a byte
    private NodeId[] _nodes;

    public FingerTable(IdSpace space, NodeId self)
    {
        _space = space;
        Self = self;
        _from = [0];
        _nodes = [self];
    }

    public NodeId Self { get; }

    public int Size => _space.Bits;

    /// <summary>The runs, nearest first (a copy).</summary>
    public IReadOnlyList<FingerRun> Runs
    {
        get
        {
            var runs = new FingerRun[_nodes.Length];
            for (var r = 0; r < runs.Length; r++)
            {
                runs[r] = new FingerRun(_from[r], _nodes[r]);
            }

            return runs;
        }
    }

    /// <summary>How many runs the table holds.</summary>
    public int RunCount => _nodes.Length;

    /// <summary>n + 2^i: where finger i starts.</summary>
    public NodeId Start(int i) => _space.AddPowerOfTwo(Self, i);

    public NodeId this[int i] => _nodes[RunIndex(i)];

    /// <summary>The distinct nodes of the table, nearest first.</summary>
    public IEnumerable<NodeId> Nodes => _nodes.Distinct();

    public void Set(int i, NodeId node)
    {
        if (i < 0 || i >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(i));
        }

        var r = RunIndex(i);
        if (_nodes[r] == node)
        {
            return;
        }

        var runs = new List<FingerRun>(_nodes.Length + 2);
        for (var k = 0; k < r; k++)
        {
            runs.Add(new FingerRun(_from[k], _nodes[k]));
        }

        var end = r + 1 < _nodes.Length ? _from[r + 1] : Size;
        if (_from[r] < i)
        {
            runs.Add(new FingerRun(_from[r], _nodes[r]));
        }

        runs.Add(new FingerRun(i, node));
        if (i + 1 < end)
        {
            runs.Add(new FingerRun(i + 1, _nodes[r]));
        }

        for (var k = r + 1; k < _nodes.Length; k++)
        {
            runs.Add(new FingerRun(_from[k], _nodes[k]));
        }

        Store(runs);
    }

    /// <summary>Sets fingers from..to (inclusive) to node.</summary>
    public void SetRange(int from, int to, NodeId node)
    {
        for (var i = from; i <= to; i++)
        {
            Set(i, node);
        }
    }

    public void Replace(IReadOnlyList<FingerRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || runs[0].From != 0)
        {
            throw new ArgumentException("finger runs must start at finger 0", nameof(runs));
        }

        Store(runs);
    }

    /// <summary>Drops a dead node: its fingers take the node of the neighbouring run.</summary>
    public void Remove(NodeId node)
    {
        if (Array.IndexOf(_nodes, node) < 0)
        {
            return;
        }

        var runs = new List<FingerRun>(_nodes.Length);
        for (var r = 0; r < _nodes.Length; r++)
        {
            if (_nodes[r] != node)
            {
                runs.Add(new FingerRun(_from[r], _nodes[r]));
                continue;
            }

            NodeId substitute;
            if (r > 0)
            {
                substitute = _nodes[r - 1];
            }
            else
            {
                substitute = _nodes.Skip(1).FirstOrDefault(x => x != node, Self);
            }

            runs.Add(new FingerRun(_from[r], substitute));
        }

        Store(runs);
    }

    /// <summary>
    /// The closest finger preceding key (Chord figure 5, closest_preceding_node): the table entry in
    /// (n, key) that is farthest from n, skipping excluded (known dead) nodes.
    /// </summary>
    public NodeId? ClosestPreceding(NodeId key, IReadOnlyCollection<NodeId>? exclude = null)
    {
        var nodes = _nodes;
        for (var r = nodes.Length - 1; r >= 0; r--)
        {
            var node = nodes[r];
            if (node != Self && _space.InOpenOpen(node, Self, key) && (exclude is null || !exclude.Contains(node)))
            {
                return node;
            }
        }

        return null;
    }

    private int RunIndex(int i)
    {
        var from = _from;
        var lo = 0;
        var hi = from.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (from[mid] <= i)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>Keeps the runs as exact-size arrays, neighbouring runs of one node merged.</summary>
    private void Store(IReadOnlyList<FingerRun> runs)
    {
        var count = 1;
        for (var r = 1; r < runs.Count; r++)
        {
            count += runs[r].Node == runs[r - 1].Node ? 0 : 1;
        }

        var from = new byte[count];
        var nodes = new NodeId[count];
        nodes[0] = runs[0].Node;
        for (int r = 1, k = 0; r < runs.Count; r++)
        {
            if (runs[r].Node != nodes[k])
            {
                k++;
                from[k] = checked((byte)runs[r].From);
                nodes[k] = runs[r].Node;
            }
        }

        _from = from;
        _nodes = nodes;
    }
}
