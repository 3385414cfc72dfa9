using P2POrleans.Unstructured;

namespace P2POrleans.Testing.Unstructured;

/// <summary>Breadth-first search over a <see cref="Topology"/>: hop distances and balls.</summary>
public static class Bfs
{
    /// <summary>Hop distance from <paramref name="source"/> to every node; -1 when unreachable.</summary>
    public static int[] Distances(Topology topology, int source, int maxDepth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var distance = new int[topology.NodeCount];
        Array.Fill(distance, -1);
        distance[source] = 0;
        var queue = new Queue<int>();
        queue.Enqueue(source);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (distance[node] == maxDepth)
            {
                continue;
            }

            foreach (var next in topology.Neighbours(node))
            {
                if (distance[next] < 0)
                {
                    distance[next] = distance[node] + 1;
                    queue.Enqueue(next);
                }
            }
        }

        return distance;
    }

    /// <summary>The nodes within <paramref name="radius"/> hops of <paramref name="source"/>, the source included.</summary>
    public static IReadOnlySet<int> Ball(Topology topology, int source, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var distance = Distances(topology, source, radius);
        var ball = new HashSet<int>();
        for (var i = 0; i < distance.Length; i++)
        {
            if (distance[i] >= 0)
            {
                ball.Add(i);
            }
        }

        return ball;
    }
}
