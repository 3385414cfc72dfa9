using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// The state every node would have in a converged, failure-free network of the given live ids:
/// the exact leaf set; a routing table in which every slot that has a candidate holds one — the
/// lowest-RTT candidate with proximity selection on (section 2.5), a seeded random one with it off;
/// and a neighbourhood set. States are built on demand, per node, in O(rows * 2^b * log N) plus the
/// RTT evaluations, so a 100,000-node network never needs O(N^2) work or all states in memory.
/// </summary>
/// <remarks>
/// With an opaque RTT function, the exact proximity-closest of a slot with many candidates costs one
/// RTT per candidate, O(N) for row 0 of every node. Slots with more than
/// <see cref="ProximitySampleSize"/> candidates are therefore judged on a seeded random sample of
/// that size (pass int.MaxValue for exact choices). The neighbourhood set is exact when the network
/// has at most <see cref="ProximitySampleSize"/> * 16 other nodes, otherwise it is the |M| closest
/// of the nodes measured for the routing table, the leaf set and a random sample of that size.
/// The result is deterministic: a seed is drawn once from the injected Random and each node's
/// stream is derived from it and the node id, so a node's state does not depend on build order.
/// </remarks>
public sealed class PastryIdealState
{
    public const int DefaultProximitySampleSize = 64;

    private const int NeighbourhoodPoolFactor = 16;

    private readonly Func<NodeId, NodeId, double> _rtt;
    private readonly long _seed;

    public PastryIdealState(
        IEnumerable<NodeId> liveIds,
        PastryParameters parameters,
        Func<NodeId, NodeId, double> rtt,
        Random random,
        int proximitySampleSize = DefaultProximitySampleSize)
    {
        ArgumentNullException.ThrowIfNull(rtt);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(proximitySampleSize, 1);
        Index = new PastryIdIndex(liveIds, parameters);
        Parameters = Index.Parameters;
        ProximitySampleSize = proximitySampleSize;
        _rtt = rtt;
        _seed = random.NextInt64();
    }

    public PastryIdIndex Index { get; }

    public PastryParameters Parameters { get; }

    public int ProximitySampleSize { get; }

    public IReadOnlyList<NodeId> Ids => Index.Ids;

    /// <summary>A fresh ideal state for a live node.</summary>
    public PastryRoutingState StateOf(NodeId id)
    {
        if (!Index.Contains(id))
        {
            throw new ArgumentException($"{id} is not a live node of this network", nameof(id));
        }

        var p = Parameters;
        var space = p.Space;
        var state = new PastryRoutingState(id, p, _rtt);
        var random = new Random(DeriveSeed(id));
        var ids = Index.Ids;
        var n = ids.Count;

        foreach (var leaf in Index.IdealSmaller(id).Concat(Index.IdealLarger(id)))
        {
            state.LeafSet.Consider(leaf);
        }

        var exactNeighbourhood = (long)ProximitySampleSize * NeighbourhoodPoolFactor >= n - 1;
        // The RTTs measured for the routing table are offered to the neighbourhood set as they come (the
        // set keeps the |M| closest whatever the order); a list of them per node (~5,000 at 10^5 nodes) would
        // land on the large-object heap and make the build's collections scan the whole heap again and again.
        var measuring = !exactNeighbourhood && p.NeighbourhoodSize > 0;

        for (var row = 0; row < p.Rows; row++)
        {
            var (groupStart, groupEnd) = Index.PrefixRange(id, row);
            if (groupEnd - groupStart <= 1)
            {
                break; // only this node shares `row` digits with itself: no deeper candidates
            }

            var own = space.Digit(id, row, p.DigitBits);
            var columns = p.ColumnsInRow(row);
            for (var column = 0; column < columns; column++)
            {
                if (column == own)
                {
                    continue;
                }

                var (start, end) = Index.SlotRange(id, row, column);
                var count = end - start;
                if (count == 0)
                {
                    continue;
                }

                NodeId chosen;
                if (!p.ProximitySelection)
                {
                    chosen = ids[start + random.Next(count)];
                }
                else
                {
                    chosen = ids[start];
                    var best = double.PositiveInfinity;
                    var exact = count <= ProximitySampleSize;
                    var draws = exact ? count : ProximitySampleSize;
                    for (var k = 0; k < draws; k++)
                    {
                        var candidate = ids[start + (exact ? k : random.Next(count))];
                        var rtt = _rtt(id, candidate);
                        if (measuring)
                        {
                            state.NeighbourhoodSet.Consider(candidate, rtt);
                        }

                        if (rtt < best || (rtt == best && candidate < chosen))
                        {
                            best = rtt;
                            chosen = candidate;
                        }
                    }
                }

                state.RoutingTable.Consider(chosen);
            }
        }

        if (p.NeighbourhoodSize > 0)
        {
            if (!measuring)
            {
                foreach (var other in ids)
                {
                    state.NeighbourhoodSet.Consider(other);
                }
            }
            else
            {
                foreach (var leaf in state.LeafSet.All)
                {
                    state.NeighbourhoodSet.Consider(leaf);
                }

                for (var k = 0; k < ProximitySampleSize * NeighbourhoodPoolFactor; k++)
                {
                    state.NeighbourhoodSet.Consider(ids[random.Next(n)]);
                }
            }
        }

        return state;
    }

    /// <summary>Every node's state. Memory grows with N: for large networks iterate <see cref="States"/> instead.</summary>
    public Dictionary<NodeId, PastryRoutingState> BuildAll() => States().ToDictionary(s => s.Id);

    /// <summary>The states, built one at a time in id order.</summary>
    public IEnumerable<PastryRoutingState> States() => Ids.Select(StateOf);

    private int DeriveSeed(NodeId id)
    {
        // SplitMix64 finalizer over the base seed and the id: a per-node stream independent of order.
        var z = unchecked((ulong)_seed ^ (id.Low64 * 0x9E3779B97F4A7C15UL) ^ (id.ShiftRight(64).Low64 * 0xC2B2AE3D27D4EB4FUL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
