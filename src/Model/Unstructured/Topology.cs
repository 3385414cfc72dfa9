namespace P2POrleans.Unstructured;

/// <summary>
/// An undirected simple graph over nodes 0..N-1 (the overlay links between peers). Immutable;
/// neighbour lists are sorted so every traversal is deterministic.
/// </summary>
public sealed class Topology
{
    private readonly int[][] _adjacency;

    public Topology(int nodeCount, IEnumerable<(int A, int B)> edges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        ArgumentNullException.ThrowIfNull(edges);
        var sets = new SortedSet<int>[nodeCount];
        for (var i = 0; i < nodeCount; i++)
        {
            sets[i] = [];
        }

        foreach (var (a, b) in edges)
        {
            if ((uint)a >= (uint)nodeCount || (uint)b >= (uint)nodeCount)
            {
                throw new ArgumentException($"edge ({a}, {b}) names a node outside 0..{nodeCount - 1}", nameof(edges));
            }

            if (a == b)
            {
                throw new ArgumentException($"self-loop on node {a}", nameof(edges));
            }

            sets[a].Add(b);
            sets[b].Add(a);
        }

        _adjacency = sets.Select(s => s.ToArray()).ToArray();
        EdgeCount = _adjacency.Sum(a => a.Length) / 2;
    }

    public int NodeCount => _adjacency.Length;

    public int EdgeCount { get; }

    public IReadOnlyList<int> Neighbours(int node) => _adjacency[node];

    public int Degree(int node) => _adjacency[node].Length;

    public bool AreNeighbours(int a, int b) => Array.BinarySearch(_adjacency[a], b) >= 0;

    /// <summary>Each edge once, as (smaller, larger).</summary>
    public IEnumerable<(int A, int B)> Edges()
    {
        for (var a = 0; a < _adjacency.Length; a++)
        {
            foreach (var b in _adjacency[a])
            {
                if (a < b)
                {
                    yield return (a, b);
                }
            }
        }
    }
}
