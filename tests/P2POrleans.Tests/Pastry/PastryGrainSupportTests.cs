using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Tests.Pastry;

/// <summary>The pure helpers the peer grain relies on: replica sets, state snapshots, parameter validation, the key store.</summary>
public sealed class PastryGrainSupportTests
{
    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 20)]
    public void The_replica_set_of_a_key_seen_from_its_closest_node_is_the_k_closest_live_nodes(NetworkCase c)
    {
        var net = new PastryTestNetwork(c with { Nodes = Math.Min(c.Nodes, 300) });
        var live = new PastryIdIndex(net.Ids, net.Parameters);
        var space = net.Parameters.Space;
        var k = Math.Min(4, (net.Parameters.LeafSetSize / 2) + 1);
        for (var i = 0; i < 30; i++)
        {
            var key = space.Hash($"replica-{c.Seed}-{i}");
            var closest = live.NumericallyClosest(key);
            var fromLeafSet = PastryReplicas.ClosestTo(net.State(closest), key, k);
            var brute = net.Ids.OrderBy(id => id, Comparer<NodeId>.Create((a, b) => PastryMetric.Compare(space, key, a, b))).Take(k).ToList();
            Assert.Equal(brute, fromLeafSet);
            Assert.Equal(brute, PastryReplicas.IdealReplicaSet(live, key, k));
        }
    }

    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 10)]
    public void A_snapshot_restores_exactly_the_same_state(NetworkCase c)
    {
        var net = new PastryTestNetwork(c with { Nodes = Math.Min(c.Nodes, 200) });
        foreach (var id in net.Ids.Take(20))
        {
            var state = net.State(id);
            var restored = PastrySnapshots.Restore(PastrySnapshots.ToPeerState(state, "a", 0, 0, 0), net.Parameters, PastryTestNetwork.Rtt);
            Assert.Equal(state.LeafSet.Smaller, restored.LeafSet.Smaller);
            Assert.Equal(state.LeafSet.Larger, restored.LeafSet.Larger);
            Assert.Equal(state.RoutingTable.Entries, restored.RoutingTable.Entries);
            Assert.Equal(state.NeighbourhoodSet.Members, restored.NeighbourhoodSet.Members);
        }
    }

    [Fact]
    public void Parameters_are_pastry_overlay_parameters_and_report_every_problem()
    {
        OverlayParameters p = new PastryParameters();
        Assert.Equal("pastry", p.Protocol);
        Assert.Equal(128, p.IdBits);
        Assert.Empty(p.Validate());
        var bad = new PastryParameters { Bits = 0, DigitBits = 9, LeafSetSize = 7, Replicas = 0, NeighbourhoodSize = -1 };
        Assert.Equal(5, bad.Validate().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => bad.EnsureValid());

        // The pure state does not depend on k: a tiny leaf set with the default k is still a valid node state.
        Assert.Same(new PastryParameters { LeafSetSize = 2 }.EnsureValid().GetType(), typeof(PastryParameters));
        Assert.NotEmpty(new PastryParameters { LeafSetSize = 2 }.Validate());
    }
}
