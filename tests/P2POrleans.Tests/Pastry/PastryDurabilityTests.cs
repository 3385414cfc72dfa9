using System.Collections.Immutable;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Tests.Pastry;

/// <summary>Durable Pastry peers: the record round trip and the silo bookkeeping of spread replicas.</summary>
public sealed class PastryDurabilityTests
{
    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 10)]
    public void A_record_restores_an_equal_peer(NetworkCase c)
    {
        var net = new PastryTestNetwork(c with { Nodes = Math.Min(c.Nodes, 200) });
        var parameters = net.Parameters with { Durable = true };
        foreach (var id in net.Ids.Take(10))
        {
            // Built with the model the grain uses, so the neighbourhood order (by RTT) is comparable.
            var network = new NetworkModel(parameters.Seed);
            var original = PastrySnapshots.Restore(PastrySnapshots.ToPeerState(net.State(id), "a", 0, 0, 0), parameters, network.Rtt);
            var peer = new PastryNode(parameters, "10.0.0.1:5000", original, network) { Messages = { Lookup = c.Seed % 97, Maintenance = c.Nodes } };
            for (var i = 0; i < c.Seed % 7; i++)
            {
                peer.Store.Put(new StoredItem($"k{i}", parameters.Space.Hash($"k{i}"), $"v{i}"));
            }

            var restored = PastryNode.FromRecord(id, peer.ToRecord());
            Assert.Equal(peer.Parameters, restored.Parameters);
            Assert.Equal(peer.Address, restored.Address);
            Assert.Equal(peer.State.LeafSet.Smaller, restored.State.LeafSet.Smaller);
            Assert.Equal(peer.State.LeafSet.Larger, restored.State.LeafSet.Larger);
            Assert.Equal(peer.State.RoutingTable.Entries, restored.State.RoutingTable.Entries);
            Assert.Equal(peer.State.NeighbourhoodSet.Members, restored.State.NeighbourhoodSet.Members);
            Assert.Equal(peer.Store.Items.OrderBy(i => i.Key, StringComparer.Ordinal), restored.Store.Items.OrderBy(i => i.Key, StringComparer.Ordinal));
            Assert.Equal((peer.Messages.Lookup, peer.Messages.Maintenance), (restored.Messages.Lookup, restored.Messages.Maintenance));
            Assert.Equal(peer.LeafHash(), restored.LeafHash());
        }
    }

    [Fact]
    public void Both_options_are_off_by_default_and_durable_means_is_durable()
    {
        var p = new PastryParameters();
        Assert.False(p.Durable);
        Assert.False(p.SpreadReplicas);
        Assert.False(p.IsDurable);
        Assert.True((p with { Durable = true }).IsDurable);
        Assert.Empty((p with { Durable = true, SpreadReplicas = true }).Validate());
    }

    [Fact]
    public void Silos_are_learnt_for_leaves_only_and_sent_only_with_spread_replicas()
    {
        var net = new PastryTestNetwork(new NetworkCase(3, 60, 4, 8, true, false));
        var id = net.Ids[0];
        var state = net.State(id);
        var leaves = state.LeafSet.All.ToList();
        var stranger = net.Ids.First(n => n != id && !state.LeafSet.Contains(n));
        var parameters = net.Parameters with { SpreadReplicas = true };
        var peer = new PastryNode(parameters, "a", state, new NetworkModel(parameters.Seed)) { Silo = "s0" };

        var snapshot = new PastryLeafSetSnapshot(leaves[0], [], [], "s1", ImmutableDictionary<NodeId, string>.Empty.Add(leaves[1], "s2").Add(stranger, "s3").Add(id, "wrong"));
        peer.LearnSilos(snapshot);
        Assert.Equal("s1", peer.SiloOf(leaves[0]));
        Assert.Equal("s2", peer.SiloOf(leaves[1]));
        Assert.Null(peer.SiloOf(stranger));
        Assert.Equal("s0", peer.SiloOf(id));

        var reply = peer.LeafSetReply();
        Assert.Equal("s0", reply.Silo);
        Assert.Equal(2, reply.LeafSilos!.Count);

        var plain = new PastryNode(net.Parameters, "a", state, new NetworkModel(parameters.Seed)) { Silo = "s0" };
        Assert.Null(plain.LeafSetReply().Silo);
        Assert.Null(plain.LeafSetReply().LeafSilos);
    }

    [Fact]
    public void Learning_a_silo_changes_the_placement_signature_only_with_spread_replicas()
    {
        var net = new PastryTestNetwork(new NetworkCase(4, 60, 4, 8, true, false));
        var id = net.Ids[0];
        var leaf = net.State(id).LeafSet.All.First();
        foreach (var spread in new[] { true, false })
        {
            var parameters = net.Parameters with { SpreadReplicas = spread };
            var peer = new PastryNode(parameters, "a", net.State(id), new NetworkModel(parameters.Seed)) { Silo = "s0" };
            var before = peer.PlacementHash();
            peer.LearnSilos(new PastryLeafSetSnapshot(leaf, [], [], "s9"));
            Assert.Equal(spread, before != peer.PlacementHash());
        }
    }
}
