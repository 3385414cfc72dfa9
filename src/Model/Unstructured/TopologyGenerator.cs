using System.Globalization;

namespace P2POrleans.Unstructured;

/// <summary>
/// Overlay topologies for the unstructured systems. Every generator that uses randomness takes the
/// <see cref="Random"/> to draw from, so a seed fixes the graph.
/// </summary>
public static class TopologyGenerator
{
    /// <summary>
    /// A complete ternary tree: the root 0 and levels 1..<paramref name="depth"/>, node i's children
    /// being 3i+1, 3i+2, 3i+3. (3^(depth+1) - 1) / 2 nodes.
    /// </summary>
    public static Topology TernaryTree(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, 12);
        var count = 1;
        var level = 1;
        for (var d = 1; d <= depth; d++)
        {
            level *= 3;
            count += level;
        }

        return new Topology(count, Enumerable.Range(1, count - 1).Select(child => ((child - 1) / 3, child)));
    }

    /// <summary>
    /// A random <paramref name="degree"/>-regular simple graph: stubs are paired at random,
    /// rejecting self-loops and parallel edges, restarting when the pairing gets stuck. n * degree
    /// must be even and degree &lt; n. Not guaranteed connected (it is with high probability for degree ≥ 3).
    /// </summary>
    public static Topology RandomRegular(int nodeCount, int degree, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(degree);
        if (nodeCount <= degree || (nodeCount * degree) % 2 != 0)
        {
            throw new ArgumentException($"no {degree}-regular graph on {nodeCount} nodes (need degree < n and n * degree even)");
        }

        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var edges = TryPairStubs(nodeCount, degree, rng);
            if (edges is not null)
            {
                return new Topology(nodeCount, edges);
            }
        }

        throw new InvalidOperationException($"could not build a {degree}-regular graph on {nodeCount} nodes");
    }

    private static List<(int, int)>? TryPairStubs(int nodeCount, int degree, Random rng)
    {
        var stubs = new List<int>(nodeCount * degree);
        for (var node = 0; node < nodeCount; node++)
        {
            for (var k = 0; k < degree; k++)
            {
                stubs.Add(node);
            }
        }

        var adjacent = new HashSet<(int, int)>();
        var edges = new List<(int, int)>();
        while (stubs.Count > 0)
        {
            var paired = false;
            for (var tries = 0; tries < 64 && !paired; tries++)
            {
                var i = rng.Next(stubs.Count);
                var j = rng.Next(stubs.Count);
                var (a, b) = (stubs[i], stubs[j]);
                if (i == j || a == b || adjacent.Contains((Math.Min(a, b), Math.Max(a, b))))
                {
                    continue;
                }

                adjacent.Add((Math.Min(a, b), Math.Max(a, b)));
                edges.Add((a, b));
                RemoveAt(stubs, Math.Max(i, j));
                RemoveAt(stubs, Math.Min(i, j));
                paired = true;
            }

            if (!paired)
            {
                return null;
            }
        }

        return edges;
    }

    private static void RemoveAt(List<int> list, int index)
    {
        list[index] = list[^1];
        list.RemoveAt(list.Count - 1);
    }

    /// <summary>
    /// Barabási–Albert preferential attachment: a clique of m + 1 nodes, then each new node links to
    /// m distinct existing nodes chosen with probability proportional to their degree. Connected,
    /// with a power-law degree tail like the Gnutella crawls of 2000-2001.
    /// </summary>
    public static Topology BarabasiAlbert(int nodeCount, int edgesPerNode, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(edgesPerNode, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, edgesPerNode + 1);
        var edges = new List<(int, int)>();
        var endpoints = new List<int>(); // each node once per incident edge: sampling it is degree-proportional
        var seedCount = edgesPerNode + 1;
        for (var a = 0; a < seedCount; a++)
        {
            for (var b = a + 1; b < seedCount; b++)
            {
                edges.Add((a, b));
                endpoints.Add(a);
                endpoints.Add(b);
            }
        }

        var targets = new HashSet<int>();
        for (var node = seedCount; node < nodeCount; node++)
        {
            targets.Clear();
            while (targets.Count < edgesPerNode)
            {
                targets.Add(endpoints[rng.Next(endpoints.Count)]);
            }

            foreach (var t in targets.Order())
            {
                edges.Add((node, t));
                endpoints.Add(node);
                endpoints.Add(t);
            }
        }

        return new Topology(nodeCount, edges);
    }

    /// <summary>
    /// Parses an edge list: one "a b" pair per line (whitespace or a comma between), node ids
    /// non-negative integers; blank lines and lines starting with '#' are skipped; an edge listed
    /// twice (in either direction) counts once. The node count is the largest id + 1, or
    /// <paramref name="nodeCount"/> when given. Malformed lines throw <see cref="FormatException"/>
    /// naming the line.
    /// </summary>
    public static Topology ParseEdgeList(string text, int? nodeCount = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var edges = new List<(int, int)>();
        var max = -1;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new FormatException($"line {n + 1}: expected two node ids, found '{line}'");
            }

            var a = ParseNode(parts[0], n + 1);
            var b = ParseNode(parts[1], n + 1);
            if (a == b)
            {
                throw new FormatException($"line {n + 1}: self-loop on node {a}");
            }

            if (nodeCount is { } limit && Math.Max(a, b) >= limit)
            {
                throw new FormatException($"line {n + 1}: node {Math.Max(a, b)} is outside 0..{limit - 1}");
            }

            edges.Add((a, b));
            max = Math.Max(max, Math.Max(a, b));
        }

        return new Topology(nodeCount ?? (max + 1), edges);
    }

    private static int ParseNode(string text, int line)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var node) || node > 10_000_000)
        {
            throw new FormatException($"line {line}: '{text}' is not a node id (a non-negative integer up to 10,000,000)");
        }

        return node;
    }
}
