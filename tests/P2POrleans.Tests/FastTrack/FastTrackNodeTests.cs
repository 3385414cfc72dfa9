using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.FastTrack;

/// <summary>The FastTrack peer's rules without Orleans: promotion by reputation, supernode choice, the children's index, a search's hits.</summary>
public sealed class FastTrackNodeTests
{
    private static readonly FastTrackParameters Parameters = new() { Seed = 5, SupernodeThreshold = 4, DemotionThreshold = 2, RoundSeconds = 900, SupernodeDegree = 2, MaxChildren = 2 };

    private static FastTrackNode Peer(int node, double uptimeHours = 0, params string[] files) =>
        new(node, new FastTrackSetup(Parameters, files.Select((f, i) => new SharedFile((uint)i, 1_000_000, f)).ToArray(), uptimeHours, 0));

    [Fact]
    public void An_ordinary_peer_is_promoted_once_its_time_connected_passes_the_threshold_and_attaches_before()
    {
        var peer = Peer(1);
        Assert.False(peer.WantsPromotion);
        Assert.Equal(FastTrackStep.Attach, peer.Tick(1)); // 15 minutes: no supernode yet, so it looks for one
        peer.Attached(7);
        Assert.Equal(FastTrackStep.None, peer.Tick(8)); // 2 hours, attached
        Assert.Equal(FastTrackStep.Promote, peer.Tick(16)); // 4 hours: 4 points
        Assert.Equal(7, peer.Promote()); // it leaves its supernode
        Assert.True(peer.IsSupernode);
        Assert.Null(peer.Supernode);
        Assert.Equal(FastTrackStep.None, peer.Tick(17));
    }

    [Fact]
    public void A_peer_that_starts_with_enough_uptime_wants_promotion_at_once()
    {
        Assert.True(Peer(1, uptimeHours: 5).WantsPromotion);
        Assert.False(Peer(2, uptimeHours: 3).WantsPromotion);
    }

    [Fact]
    public void A_supernode_indexes_its_own_files_and_takes_children_until_full()
    {
        var supernode = Peer(0, 5, "beatles - yesterday.mp3");
        Assert.False(supernode.AddChild(1, Peer(1).Identity, [])); // not a supernode yet
        supernode.Promote();
        Assert.Single(supernode.LocalHits("beatles", requester: 9));
        Assert.False(supernode.AddChild(0, supernode.Identity, [])); // not its own child
        Assert.True(supernode.AddChild(1, Peer(1).Identity, [new SharedFile(0, 10, "beatles - help.mp3")]));
        Assert.True(supernode.AddChild(2, Peer(2).Identity, []));
        Assert.False(supernode.AddChild(3, Peer(3).Identity, [])); // MaxChildren = 2 (and itself)
        Assert.Equal(2, supernode.LocalHits("beatles", requester: 9).Count);

        // the asking child does not get its own files back; the path back goes through the supernode to it
        var forChild = Assert.Single(supernode.LocalHits("beatles", requester: 1));
        Assert.Equal(0, forChild.Node);
        Assert.Equal([0, 1], forChild.PathBack);

        supernode.RemoveChild(1);
        Assert.Single(supernode.LocalHits("beatles", requester: 9));
        Assert.Equal([2], supernode.Children);
    }

    [Fact]
    public void A_peer_chooses_the_closest_supernode_by_the_network_model_and_skips_refused_ones()
    {
        var peer = Peer(10);
        var network = new NetworkModel(Parameters.Seed);
        int[] candidates = [1, 2, 3, 10];
        var byRtt = candidates.Where(c => c != 10).OrderBy(c => network.Rtt(UnstructuredNodes.IdOf(10), UnstructuredNodes.IdOf(c))).ToList();
        Assert.True(peer.TryChooseSupernode(candidates, new HashSet<int>(), out var first));
        Assert.Equal(byRtt[0], first);
        Assert.True(peer.TryChooseSupernode(candidates, new HashSet<int> { byRtt[0] }, out var second));
        Assert.Equal(byRtt[1], second);
        Assert.False(peer.TryChooseSupernode(candidates, byRtt.ToHashSet(), out _)); // never itself
    }

    [Fact]
    public void A_new_supernode_links_to_at_most_the_degree_of_the_known_others_the_same_for_a_seed()
    {
        var peer = Peer(4);
        var links = peer.SupernodeLinks([1, 2, 3, 4, 5]);
        Assert.Equal(2, links.Count);
        Assert.DoesNotContain(4, links);
        Assert.Equal(links.Order(), links);
        Assert.Equal(links, Peer(4).SupernodeLinks([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void Uploads_raise_reputation_and_sharing_reindexes_a_supernodes_own_files()
    {
        var peer = Peer(3, 5, "a.mp3");
        var before = peer.Reputation.Score(TimeSpan.Zero);
        Assert.Equal(1_000_000u, peer.Upload(0).Size);
        Assert.True(peer.Reputation.Score(TimeSpan.Zero) > before);
        Assert.Throws<P2PException>(() => peer.Upload(9));

        peer.Promote();
        Assert.Empty(peer.LocalHits("madonna", requester: 8));
        Assert.Equal(1u, peer.Share("madonna - vogue.mp3", 10).Index);
        Assert.Single(peer.LocalHits("madonna", requester: 8));
    }

    [Fact]
    public void A_childs_search_counts_its_leg_and_extends_every_remote_path_to_the_child()
    {
        var supernode = Peer(0, 5);
        supernode.Promote();
        var remote = new QueryHit(6346, PeerEndpoint.ForNode(5).Address, 56, [new QueryHitResult(0, 10, "x.mp3")], Guid.NewGuid());
        var delivered = new DeliveredDescriptor(0, new Descriptor(Guid.NewGuid(), 1, 2, remote), [5, 4, 0]);
        var flood = new FloodSummary(new HashSet<int> { 0, 4, 5 }, new DescriptorCounts(0, 0, 0, 3, 2), [delivered], 3, 0);

        var outcome = supernode.SearchOutcome("x", 3, requester: 7, [], flood);
        var hit = Assert.Single(outcome.Hits);
        Assert.Equal([5, 4, 0, 7], hit.PathBack);
        Assert.Equal(3, outcome.HopsToFirstHit);
        Assert.Equal([0, 4, 5, 7], outcome.Reached);
        Assert.Equal(new DescriptorCounts(0, 0, 0, 4, 3), outcome.Messages);

        var own = supernode.SearchOutcome("x", 3, requester: 0, [], flood);
        Assert.Equal([5, 4, 0], Assert.Single(own.Hits).PathBack);
        Assert.Equal(flood.Sent, own.Messages);
    }

    [Fact]
    public void A_peer_forgets_its_supernode_only_when_that_one_goes()
    {
        var peer = Peer(2);
        peer.Attached(4);
        Assert.False(peer.Detach(5));
        Assert.Equal(4, peer.Supernode);
        Assert.True(peer.Detach(4));
        Assert.Null(peer.Supernode);
        Assert.Equal(new DescriptorCounts(0, 0, 0, 1, 0), peer.ChildMessages);
    }
}
