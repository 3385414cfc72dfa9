using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Tests.Pastry;

/// <summary>
/// Routing (section 2.2) over ideal states of random networks, checked hop by hop and against a
/// brute-force numerically-closest node.
/// </summary>
public sealed class PastryRouterTests
{
    private const int LookupsPerNetwork = 25;

    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 30)]
    public void Routes_make_progress_and_end_at_the_numerically_closest_node(NetworkCase c)
    {
        var net = new PastryTestNetwork(c);
        var b = c.DigitBits;
        var traces = new List<PastryRouteTrace>();
        for (var i = 0; i < LookupsPerNetwork; i++)
        {
            var start = net.Ids[net.Random.Next(net.Ids.Count)];
            var key = net.RandomKey(net.Ids);
            var trace = PastryRouteTracer.Trace(net.StateOf, start, key);
            traces.Add(trace);

            Assert.True(trace.Delivered, $"lookup of {key} from {start} did not end within 64 hops");
            Assert.Equal(PastryTestNetwork.BruteForceClosest(net.Ids, key), trace.Destination);
            Assert.Equal(0, trace.DeadNodesTried);
            for (var h = 0; h < trace.Hops; h++)
            {
                var from = trace.Path[h];
                var to = trace.Path[h + 1];
                var prefixFrom = PastryTestNetwork.BruteForcePrefix(from, key, b);
                var prefixTo = PastryTestNetwork.BruteForcePrefix(to, key, b);
                switch (trace.Reasons[h])
                {
                    case PastryRouteReason.RoutingTable:
                        Assert.True(prefixTo > prefixFrom, $"routing-table hop {h} did not lengthen the prefix");
                        break;
                    case PastryRouteReason.RareCase:
                        Assert.True(prefixTo >= prefixFrom && PastryTestNetwork.BruteForceCloser(key, to, from), $"rare-case hop {h} made no progress");

                        // With complete tables the rare case only happens when no node at all
                        // shares one more digit with the key (the slot has no candidate).
                        Assert.DoesNotContain(net.Ids, n => PastryTestNetwork.BruteForcePrefix(n, key, b) > prefixFrom);
                        break;
                    case PastryRouteReason.LeafSet:
                        Assert.True(PastryTestNetwork.BruteForceCloser(key, to, from), $"leaf-set hop {h} is not numerically closer");
                        // In a converged network a leaf-set hop reaches the destination (at most one hop away).
                        Assert.Equal(trace.Hops - 1, h);
                        break;
                }

                // The paper's progress claim: a longer prefix, or as long a prefix and numerically
                // closer — except for the final leaf-set hop, which may cross a digit boundary.
                if (trace.Reasons[h] != PastryRouteReason.LeafSet)
                {
                    Assert.True(prefixTo > prefixFrom || (prefixTo == prefixFrom && PastryTestNetwork.BruteForceCloser(key, to, from)));
                }
            }
        }

        // Paper section 2.2: fewer than ceil(log_{2^b} N) hops on average; one hop of slack for
        // the small sample and the final leaf-set hop.
        var bound = Math.Ceiling(Math.Log(c.Nodes) / Math.Log(1 << b)) + 1;
        Assert.True(PastryRouteTracer.MeanHops(traces) <= bound, $"mean hops {PastryRouteTracer.MeanHops(traces)} > {bound}");
    }

    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 20)]
    public void After_failures_and_forget_routes_still_end_at_the_closest_live_node(NetworkCase c)
    {
        var net = new PastryTestNetwork(c);

        net.KillRandom(c.Nodes / 5);
        var live = net.Live.ToList();
        var forgotten = new HashSet<NodeId>();
        PastryRoutingState? Forgetful(NodeId id)
        {
            var state = net.StateOf(id);
            if (state is not null && forgotten.Add(id))
            {
                foreach (var dead in net.Dead)
                {
                    state.Forget(dead);
                }
            }

            return state;
        }

        for (var i = 0; i < LookupsPerNetwork; i++)
        {
            var start = live[net.Random.Next(live.Count)];
            var key = net.RandomKey(net.Ids);
            var expected = PastryTestNetwork.BruteForceClosest(live, key);

            // Every node has applied Forget for every dead node: no dead hop is ever proposed.
            var trace = PastryRouteTracer.Trace(Forgetful, start, key);
            Assert.True(trace.Delivered);
            Assert.Equal(0, trace.DeadNodesTried);
            Assert.Equal(expected, trace.Destination);
        }
    }

    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 20)]
    public void Without_forget_an_iterative_lookup_skips_dead_hops_and_still_ends_right(NetworkCase c)
    {
        var net = new PastryTestNetwork(c);
        net.KillRandom(c.Nodes / 5);
        var live = net.Live.ToList();
        for (var i = 0; i < LookupsPerNetwork; i++)
        {
            var start = live[net.Random.Next(live.Count)];
            var key = net.RandomKey(net.Ids);
            var trace = PastryRouteTracer.Trace(net.StateOf, start, key);
            Assert.True(trace.Delivered);
            Assert.Equal(PastryTestNetwork.BruteForceClosest(live, key), trace.Destination);
        }
    }

    [Fact]
    public void A_lone_node_delivers_everything()
    {
        var state = new PastryRoutingState(NodeId.FromUInt64(42), PastryParameters.Default, PastryTestNetwork.Rtt);
        var decision = PastryRouter.Route(state, NodeId.FromUInt64(7));
        Assert.True(decision.IsDelivery);
        Assert.Equal(NodeId.FromUInt64(42), decision.Node);
    }

    [Fact]
    public void Routing_table_hop_goes_to_the_entry_for_the_next_digit()
    {
        // 8-bit ids, b = 2 (4 digits), |L| = 2: owner 00 00 00 00.
        var p = new PastryParameters { Bits = 8, DigitBits = 2, LeafSetSize = 2, Replicas = 2 };
        var state = new PastryRoutingState(NodeId.FromUInt64(0b00_00_00_00), p, (_, _) => 1);
        state.Learn(NodeId.FromUInt64(0b00_00_00_01)); // leaf (larger side) and R[3][1]
        state.Learn(NodeId.FromUInt64(0b11_11_11_11)); // leaf (smaller side) and R[0][3]
        state.Learn(NodeId.FromUInt64(0b10_00_00_00)); // R[0][2]
        state.Learn(NodeId.FromUInt64(0b00_10_00_00)); // R[1][2]

        var toRow1 = PastryRouter.Route(state, NodeId.FromUInt64(0b00_10_11_00));
        Assert.Equal(PastryRouteDecision.Forward(NodeId.FromUInt64(0b00_10_00_00), PastryRouteReason.RoutingTable), toRow1);

        var toRow0 = PastryRouter.Route(state, NodeId.FromUInt64(0b10_01_00_00));
        Assert.Equal(PastryRouteDecision.Forward(NodeId.FromUInt64(0b10_00_00_00), PastryRouteReason.RoutingTable), toRow0);

        // No entry for 01xxxxxx: rare case, a known node with prefix >= 0 closer to the key.
        var rare = PastryRouter.Route(state, NodeId.FromUInt64(0b01_11_00_00));
        Assert.Equal(PastryRouteDecision.Forward(NodeId.FromUInt64(0b10_00_00_00), PastryRouteReason.RareCase), rare);

        // The same key with that node excluded (dead): the next best known node.
        var excluded = new HashSet<NodeId> { NodeId.FromUInt64(0b10_00_00_00) };
        var rare2 = PastryRouter.Route(state, NodeId.FromUInt64(0b01_11_00_00), excluded);
        Assert.Equal(PastryRouteDecision.Forward(NodeId.FromUInt64(0b00_10_00_00), PastryRouteReason.RareCase), rare2);

        // Inside the leaf range [11111111, 00000001]: closest of leaves and self.
        Assert.Equal(PastryRouteDecision.Deliver(NodeId.Zero, PastryRouteReason.LeafSet), PastryRouter.Route(state, NodeId.Zero));
        Assert.Equal(PastryRouteDecision.Forward(NodeId.FromUInt64(1), PastryRouteReason.LeafSet), PastryRouter.Route(state, NodeId.FromUInt64(1)));
    }
}
