using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Unstructured;

namespace P2POrleans.ClusterTests.FastTrack;

/// <summary>
/// The overlay grain that keeps FastTrack's known-supernode list dies with its silo (docs/fasttrack.md,
/// "When the overlay grain's silo dies"): its next activation lists the supernodes that are still live,
/// and a newcomer attaches to one of them instead of starting a supernode of its own.
/// </summary>
[Collection(FastTrackKillableCluster.Name)]
public sealed class FastTrackSiloFailureTests(ClusterFixture fixture)
{
    private IFastTrackPeerGrain Peer(string overlay, int node) => fixture.Client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(overlay, node));

    [Fact]
    public async Task The_supernode_list_is_made_again_from_the_live_peers_after_the_overlay_grains_silo_died()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new FastTrackParameters { Peers = 200, Degree = 4, FreeRiders = 0.5, Seed = 21 };
        var (name, overlayHost) = await SiloKill.CreateOffPrimaryAsync(client, cluster, "ft-spof",
            n => client.GetGrain<IFastTrackOverlayGrain>(n).CreateAsync(parameters), n => client.GetGrain<IFastTrackOverlayGrain>(n));
        var overlay = client.GetGrain<IFastTrackOverlayGrain>(name);
        var supernodes = await overlay.SupernodesAsync();
        Assert.NotEmpty(supernodes);
        var members = await client.GetGrain<IOverlayRegistryGrain>(name).GetMembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, id => Peer(name, UnstructuredNodes.NodeOf(id)));
        var victim = cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(overlayHost));
        var lost = SiloKill.PeersOn(hostOf, victim).Select(UnstructuredNodes.NodeOf).ToHashSet();

        await SiloKill.KillAsync(cluster, victim);

        // Barrier: the overlay grain answers again (a call may fail while the cluster forgets the dead activation).
        IReadOnlyList<int>? after = null;
        await SiloKill.UntilAsync(async () => (after = await overlay.SupernodesAsync()) is not null, "the fasttrack overlay grain never answered after its silo died");
        var live = supernodes.Where(n => !lost.Contains(n)).Order().ToList();
        Assert.NotEmpty(live);
        Assert.Equal(live, after!.Order().ToList());

        // A newcomer attaches to a live supernode (with an empty list it would have become a supernode alone).
        var newcomer = await overlay.JoinAsync(["a new song"]);
        var view = await Peer(name, newcomer).ViewAsync();
        Assert.Equal("ordinary", view.Role);
        Assert.Contains(Assert.Single(view.Neighbours), live);

        // An ordinary peer whose supernode is live still searches through it.
        var searcher = members.Select(UnstructuredNodes.NodeOf).Where(n => !lost.Contains(n) && !supernodes.Contains(n)).First();
        var search = await Peer(name, searcher).SearchAsync("metallica yesterday", null);
        Assert.True(search.Success, search.Error);
    }
}
