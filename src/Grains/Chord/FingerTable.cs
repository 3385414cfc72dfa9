using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The finger table of node n (Chord section 4.3): finger i (0-based here) should be
/// successor(n + 2^i). With m = 160 most fingers repeat the successor, so the table is stored as runs
/// of consecutive fingers that point at the same node: about log2 N runs instead of m entries.
/// Any live node is a safe finger (routing only needs a node in (n, key)); fix_fingers makes them exact.
/// </summary>
public sealed class FingerTable
{
    private readonly IdSpace _space;
    private readonly List<FingerRun> _runs = [];

    public FingerTable(IdSpace space, NodeId self)
    {
        _space = space;
        Self = self;
        _runs.Add(new FingerRun(0, self));
    }

    public NodeId Self { get; }

    public int Size => _space.Bits;

    public IReadOnlyList<FingerRun> Runs => _runs;

    /// <summary>n + 2^i: where finger i starts.</summary>
    public NodeId Start(int i) => _space.AddPowerOfTwo(Self, i);

    public NodeId this[int i] => _runs[RunIndex(i)].Node;

    /// <summary>The distinct nodes of the table, nearest first.</summary>
    public IEnumerable<NodeId> Nodes => _runs.Select(r => r.Node).Distinct();

    public void Set(int i, NodeId node)
    {
        if (i < 0 || i >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(i));
        }

        var r = RunIndex(i);
        var run = _runs[r];
        if (run.Node == node)
        {
            return;
        }

        var end = r + 1 < _runs.Count ? _runs[r + 1].From : Size;
        var replacement = new List<FingerRun>(3);
        if (run.From < i)
        {
            replacement.Add(run with { });
        }

        replacement.Add(new FingerRun(i, node));
        if (i + 1 < end)
        {
            replacement.Add(new FingerRun(i + 1, run.Node));
        }

        _runs.RemoveAt(r);
        _runs.InsertRange(r, replacement);
        Coalesce();
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
        if (runs.Count == 0 || runs[0].From != 0)
        {
            throw new ArgumentException("finger runs must start at finger 0", nameof(runs));
        }

        _runs.Clear();
        _runs.AddRange(runs);
        Coalesce();
    }

    /// <summary>Drops a dead node: its fingers take the node of the neighbouring run.</summary>
    public void Remove(NodeId node)
    {
        for (var r = 0; r < _runs.Count; r++)
        {
            if (_runs[r].Node != node)
            {
                continue;
            }

            NodeId substitute;
            if (r > 0)
            {
                substitute = _runs[r - 1].Node;
            }
            else
            {
                substitute = _runs.Skip(1).Select(x => x.Node).FirstOrDefault(x => x != node, Self);
            }

            _runs[r] = _runs[r] with { Node = substitute };
        }

        Coalesce();
    }

    /// <summary>
    /// The closest finger preceding key (Chord figure 5, closest_preceding_node): the table entry in
    /// (n, key) that is farthest from n, skipping excluded (known dead) nodes.
    /// </summary>
    public NodeId? ClosestPreceding(NodeId key, IReadOnlyCollection<NodeId>? exclude = null)
    {
        for (var r = _runs.Count - 1; r >= 0; r--)
        {
            var node = _runs[r].Node;
            if (node != Self && _space.InOpenOpen(node, Self, key) && (exclude is null || !exclude.Contains(node)))
            {
                return node;
            }
        }

        return null;
    }

    private int RunIndex(int i)
    {
        var lo = 0;
        var hi = _runs.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_runs[mid].From <= i)
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

    private void Coalesce()
    {
        for (var r = _runs.Count - 1; r > 0; r--)
        {
            if (_runs[r].Node == _runs[r - 1].Node)
            {
                _runs.RemoveAt(r);
            }
        }
    }
}
