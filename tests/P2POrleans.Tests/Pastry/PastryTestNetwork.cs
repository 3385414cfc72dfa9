using System.Buffers.Binary;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Tests.Pastry;

/// <summary>
/// A test network: seeded random 128-bit ids (optionally in tight clusters, so ids share long
/// prefixes and deep rows and the rare case get exercised), an RTT from coordinates derived from
/// each id, the ideal states built lazily and cached (so tests can mutate them), and brute-force
/// oracles that do not use the code under test.
/// </summary>
internal sealed class PastryTestNetwork
{
    private readonly Dictionary<NodeId, PastryRoutingState> _states = [];
    private readonly Dictionary<NodeId, (double X, double Y)> _coordinates = [];

    public PastryTestNetwork(NetworkCase c, int proximitySampleSize = TestSampleSize)
        : this(
            NewIds(new Random(c.Seed), c.Nodes, c.Clustered),
            new PastryParameters { DigitBits = c.DigitBits, LeafSetSize = c.LeafSetSize, ProximitySelection = c.Proximity },
            new Random(c.Seed ^ 0x5EED),
            proximitySampleSize)
    {
    }

    public PastryTestNetwork(IReadOnlyList<NodeId> ids, PastryParameters parameters, Random random, int proximitySampleSize = PastryIdealState.DefaultProximitySampleSize)
    {
        Parameters = parameters;
        Ids = ids;
        Random = random;
        Ideal = new PastryIdealState(ids, parameters, CachedRtt, random, proximitySampleSize);
    }

    /// <summary>A smaller proximity sample than the default keeps the unoptimized test build fast.</summary>
    public const int TestSampleSize = 16;

    public PastryParameters Parameters { get; }

    public IReadOnlyList<NodeId> Ids { get; }

    public Random Random { get; }

    public PastryIdealState Ideal { get; }

    public HashSet<NodeId> Dead { get; } = [];

    public IEnumerable<NodeId> Live => Ids.Where(id => !Dead.Contains(id));

    /// <summary>The (cached, mutable) state of a live node; null for a dead one.</summary>
    public PastryRoutingState? StateOf(NodeId id)
    {
        if (Dead.Contains(id))
        {
            return null;
        }

        if (!_states.TryGetValue(id, out var state))
        {
            state = Ideal.StateOf(id);
            _states[id] = state;
        }

        return state;
    }

    public PastryRoutingState State(NodeId id) => StateOf(id) ?? throw new InvalidOperationException($"{id} is dead");

    public void Add(PastryRoutingState state) => _states[state.Id] = state;

    public static double Rtt(NodeId a, NodeId b)
    {
        var (ax, ay) = Coordinates(a);
        var (bx, by) = Coordinates(b);
        return 1 + Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by)));
    }

    /// <summary><see cref="Rtt"/> with the coordinates cached (tests run unoptimized Debug code).</summary>
    public double CachedRtt(NodeId a, NodeId b)
    {
        var (ax, ay) = CachedCoordinates(a);
        var (bx, by) = CachedCoordinates(b);
        return 1 + Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by)));
    }

    private (double X, double Y) CachedCoordinates(NodeId id)
    {
        if (!_coordinates.TryGetValue(id, out var xy))
        {
            xy = Coordinates(id);
            _coordinates[id] = xy;
        }

        return xy;
    }

    /// <summary>A point of a 1000 x 1000 plane derived from the id (stable for ids not yet in the network).</summary>
    public static (double X, double Y) Coordinates(NodeId id)
    {
        var z = id.Low64 ^ (id.ShiftRight(64).Low64 * 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return ((z & 0xFFFFFFFF) / (double)uint.MaxValue * 1000, (z >> 32) / (double)uint.MaxValue * 1000);
    }

    public static NodeId RandomId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return NodeId.FromBigEndian(bytes);
    }

    public static List<NodeId> NewIds(Random random, int count, bool clustered)
    {
        var ids = new HashSet<NodeId>();
        var list = new List<NodeId>(count);
        while (list.Count < count)
        {
            NodeId id;
            if (clustered && list.Count > 0 && random.Next(2) == 0)
            {
                // Near an existing id: shares about 88 bits, so deep rows are populated.
                var near = list[random.Next(list.Count)];
                id = new IdSpace(128).Add(near, NodeId.FromUInt64((ulong)random.NextInt64(1, 1L << 40)));
            }
            else
            {
                id = RandomId(random);
            }

            if (ids.Add(id))
            {
                list.Add(id);
            }
        }

        return list;
    }

    /// <summary>Keys worth routing to: random ids, node ids, ids next to nodes, and exact midpoints (ties).</summary>
    public NodeId RandomKey(IReadOnlyList<NodeId> nodes)
    {
        var space = new IdSpace(128);
        var node = nodes[Random.Next(nodes.Count)];
        switch (Random.Next(5))
        {
            case 0:
                return node;
            case 1:
                return space.Add(node, NodeId.FromUInt64(1));
            case 2:
                return space.Subtract(node, NodeId.FromUInt64(1));
            case 3:
            {
                // Halfway between two nodes (an exact tie when the gap is even).
                var other = nodes[Random.Next(nodes.Count)];
                var gap = space.Distance(node, other).ToBigInteger();
                return space.Add(node, NodeId.FromBigInteger(gap / 2));
            }

            default:
                return RandomId(Random);
        }
    }

    // ---- brute-force oracles over plain UInt128 arithmetic (m = 128, so wrapping is mod 2^m),
    //      independent of IdSpace, PastryMetric and PastryBits ----

    public static UInt128 Value(NodeId id)
    {
        Span<byte> bytes = stackalloc byte[20];
        id.WriteBigEndian(bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes[4..]);
    }

    public static UInt128 Clockwise(NodeId from, NodeId to) => unchecked(Value(to) - Value(from));

    /// <summary>The node numerically closest to the key; ties go to the node clockwise of the key.</summary>
    public static NodeId BruteForceClosest(IEnumerable<NodeId> nodes, NodeId key)
    {
        NodeId? best = null;
        foreach (var n in nodes)
        {
            if (best is not { } b || BruteForceCloser(key, n, b))
            {
                best = n;
            }
        }

        return best ?? throw new InvalidOperationException("no nodes");
    }

    public static bool BruteForceCloser(NodeId key, NodeId a, NodeId b)
    {
        var cwA = Clockwise(key, a);
        var cwB = Clockwise(key, b);
        var da = UInt128.Min(cwA, unchecked(UInt128.Zero - cwA));
        var db = UInt128.Min(cwB, unchecked(UInt128.Zero - cwB));
        return da < db || (da == db && cwA < cwB);
    }

    /// <summary>Shared prefix in digits of b bits: leading equal bits of the two values, in whole digits.</summary>
    public static int BruteForcePrefix(NodeId a, NodeId b, int digitBits)
    {
        var x = Value(a) ^ Value(b);
        var bits = 0;
        while (bits < 128 && ((x >> (127 - bits)) & 1) == 0)
        {
            bits++;
        }

        return bits == 128 ? (128 + digitBits - 1) / digitBits : bits / digitBits;
    }

    public static int BruteForceDigit(NodeId id, int index, int digitBits)
    {
        var v = Value(id);
        var start = index * digitBits;
        var end = Math.Min(start + digitBits, 128);
        var value = 0;
        for (var i = start; i < end; i++)
        {
            value = (value << 1) | (int)((v >> (127 - i)) & 1);
        }

        return value;
    }

    /// <summary>The |L|/2 nodes closest counter-clockwise (smaller) and clockwise (larger) within half the circle, closest first.</summary>
    public static (List<NodeId> Smaller, List<NodeId> Larger) BruteForceLeafSet(NodeId owner, IEnumerable<NodeId> nodes, int leafSetSize)
    {
        var others = nodes.Where(n => n != owner).Distinct().ToList();
        var half = UInt128.One << 127;
        var smaller = others.Where(n => Clockwise(n, owner) <= half).OrderBy(n => Clockwise(n, owner)).Take(leafSetSize / 2).ToList();
        var larger = others.Where(n => Clockwise(owner, n) <= half).OrderBy(n => Clockwise(owner, n)).Take(leafSetSize / 2).ToList();
        return (smaller, larger);
    }

    /// <summary>
    /// Marks up to <paramref name="count"/> random nodes dead, never letting |L|/2 nodes adjacent on
    /// the ring all fail (the paper's delivery guarantee assumes this, section 2.2).
    /// </summary>
    public void KillRandom(int count)
    {
        var sorted = Ids.OrderBy(id => id).ToList();
        var position = sorted.Select((id, i) => (id, i)).ToDictionary(t => t.id, t => t.i);
        var half = Parameters.LeafSetSize / 2;
        var n = sorted.Count;
        foreach (var candidate in Ids.OrderBy(_ => Random.Next()).ToList())
        {
            if (Dead.Count >= count)
            {
                break;
            }

            var p = position[candidate];
            var run = 1;
            for (var i = 1; i < n && Dead.Contains(sorted[(p + i) % n]); i++)
            {
                run++;
            }

            for (var i = 1; i < n && Dead.Contains(sorted[(p - i + n) % n]); i++)
            {
                run++;
            }

            if (run < half)
            {
                Dead.Add(candidate);
            }
        }
    }
}
