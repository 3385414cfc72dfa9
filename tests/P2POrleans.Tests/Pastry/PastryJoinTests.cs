using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Tests.Pastry;

/// <summary>Node arrival (section 2.4) assembled from what the join route sends.</summary>
public sealed class PastryJoinTests
{
    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 20)]
    public void A_joining_node_gets_the_exact_leaf_set_a_valid_table_and_becomes_reachable(NetworkCase c)
    {
        var net = new PastryTestNetwork(c);
        var x = PastryTestNetwork.NewIds(net.Random, 1, clustered: false)[0];
        while (net.Ideal.Index.Contains(x))
        {
            x = PastryTestNetwork.RandomId(net.Random);
        }

        // A: the node nearest to X by RTT (the paper assumes X knows a nearby node).
        var a = net.Ids.OrderBy(n => net.CachedRtt(x, n)).ThenBy(n => n).First();
        var x2 = Join(net, x, a);

        var members = net.Ids.Append(x).ToList();
        var index = new PastryIdIndex(members, net.Parameters);
        var (smaller, larger) = PastryTestNetwork.BruteForceLeafSet(x, members, c.LeafSetSize);
        Assert.Equal(smaller, x2.LeafSet.Smaller);
        Assert.Equal(larger, x2.LeafSet.Larger);

        var report = PastryStateChecker.Check(index, [x2]);
        Assert.Equal(0, report.MisplacedEntries);
        Assert.Equal(0, report.StaleEntries);
        Assert.True(x2.RoutingTable.Count > 0);
        Assert.True(x2.NeighbourhoodSet.Count > 0);

        // The nodes that should now have X as a leaf do, and lookups for X's keys reach X.
        Assert.Equal(smaller.Union(larger).Count(), PastryStateChecker.Check(index, smaller.Union(larger).Select(net.State)).CorrectLeafSets);
        for (var i = 0; i < 15; i++)
        {
            var key = i % 3 == 0 ? x : net.RandomKey(members);
            var start = members[net.Random.Next(members.Count)];
            var trace = PastryRouteTracer.Trace(net.StateOf, start, key);
            Assert.True(trace.Delivered);
            Assert.Equal(PastryTestNetwork.BruteForceClosest(members, key), trace.Destination);
        }
    }

    [Theory]
    [InlineData(1, 4, 16, true)]
    [InlineData(2, 2, 8, false)]
    [InlineData(3, 1, 4, true)]
    public void A_network_built_by_joins_alone_has_correct_leaf_sets_and_routes_correctly(int seed, int b, int leafSetSize, bool proximity)
    {
        var p = new PastryParameters { DigitBits = b, LeafSetSize = leafSetSize, ProximitySelection = proximity };
        var random = new Random(seed);
        var ids = PastryTestNetwork.NewIds(random, 150, clustered: seed % 2 == 0);
        var net = new PastryTestNetwork([ids[0]], p, random);
        net.State(ids[0]); // the first node, alone
        var joined = new List<NodeId> { ids[0] };
        foreach (var x in ids.Skip(1))
        {
            var a = joined.OrderBy(n => net.CachedRtt(x, n)).ThenBy(n => n).First();
            Join(net, x, a);
            joined.Add(x);
        }

        var index = new PastryIdIndex(joined, p);
        var report = PastryStateChecker.Check(index, joined.Select(net.State));
        Assert.Equal(joined.Count, report.CorrectLeafSets);
        Assert.Equal(report.RoutingEntries, report.ValidEntries);

        var traces = new List<PastryRouteTrace>();
        for (var i = 0; i < 100; i++)
        {
            var key = net.RandomKey(joined);
            var trace = PastryRouteTracer.Trace(net.StateOf, joined[random.Next(joined.Count)], key);
            Assert.True(trace.Delivered);
            Assert.Equal(PastryTestNetwork.BruteForceClosest(joined, key), trace.Destination);
            traces.Add(trace);
        }
    }

    [Fact]
    public void Rows_for_a_joining_node_stop_at_the_shared_prefix()
    {
        var space = new IdSpace(8);
        var p = new PastryParameters { Bits = 8, DigitBits = 2, LeafSetSize = 2, Replicas = 2 };
        var node = new PastryRoutingState(NodeId.FromUInt64(0b01_10_00_00), p, (_, _) => 1);
        node.Learn(NodeId.FromUInt64(0b11_00_00_00)); // row 0
        node.Learn(NodeId.FromUInt64(0b01_00_00_00)); // row 1
        node.Learn(NodeId.FromUInt64(0b01_10_10_00)); // row 2
        var rows = PastryJoin.RowsFor(node, NodeId.FromUInt64(0b01_11_00_00)); // shares 1 digit
        Assert.Equal(1, rows.LastRow);
        Assert.Equal([NodeId.FromUInt64(0b11_00_00_00), NodeId.FromUInt64(0b01_00_00_00)], rows.Entries);
        Assert.Equal(node.Id, rows.From);
        Assert.Equal(8, space.Bits);
    }

    /// <summary>Runs the join protocol for X through A over the test network's states; returns X's state.</summary>
    internal static PastryRoutingState Join(PastryTestNetwork net, NodeId x, NodeId a)
    {
        var route = PastryRouteTracer.Trace(net.StateOf, a, x);
        Assert.True(route.Delivered);
        var z = route.Destination!.Value;
        var rows = route.Path.Select(n => PastryJoin.RowsFor(net.State(n), x)).ToList();
        var state = PastryJoin.BuildState(x, net.Parameters, net.CachedRtt, rows, net.State(z).LeafSet.Snapshot(), net.State(a).NeighbourhoodSet.Snapshot());
        net.Add(state);
        var known = state.KnownNodes.ToList();
        foreach (var target in PastryJoin.AnnounceTargets(state))
        {
            PastryJoin.AcceptAnnouncement(net.State(target), x, known);
        }

        return state;
    }
}
