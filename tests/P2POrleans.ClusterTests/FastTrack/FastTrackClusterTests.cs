using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;

namespace P2POrleans.ClusterTests.FastTrack;

/// <summary>Supernodes, children and the comparison with Gnutella on the same peers and files.</summary>
[Collection(SharedCluster.Name)]
public sealed class FastTrackClusterTests(ClusterFixture fixture)
{
    private IFastTrackPeerGrain Peer(string overlay, int node) => fixture.Client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(overlay, node));

    [Fact]
    public async Task FastTrack_finds_a_file_with_far_fewer_messages_than_gnutella_on_the_same_peers()
    {
        var shared = (Topology: TopologyKind.Random, Peers: 300, Degree: 4, FreeRiders: 0.5, Seed: 21L);
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>("cmp-gn").CreateAsync(new GnutellaParameters
        { Topology = shared.Topology, Peers = shared.Peers, Degree = shared.Degree, FreeRiders = shared.FreeRiders, Seed = shared.Seed });
        await fixture.Client.GetGrain<IFastTrackOverlayGrain>("cmp-ft").CreateAsync(new FastTrackParameters
        { Topology = shared.Topology, Peers = shared.Peers, Degree = shared.Degree, FreeRiders = shared.FreeRiders, Seed = shared.Seed });

        var supernodes = await fixture.Client.GetGrain<IFastTrackOverlayGrain>("cmp-ft").SupernodesAsync();
        var searcher = Enumerable.Range(0, shared.Peers).First(n => !supernodes.Contains(n));
        var gnutella = await fixture.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key("cmp-gn", searcher)).QueryAsync("metallica yesterday", 7);
        var fastTrack = await Peer("cmp-ft", searcher).SearchAsync("metallica yesterday", null);

        Assert.NotEmpty(gnutella.Hits);
        Assert.NotEmpty(fastTrack.Hits);
        Assert.True(fastTrack.MessageCount * 4 < gnutella.MessageCount, $"fasttrack {fastTrack.MessageCount} vs gnutella {gnutella.MessageCount} messages");

        // the same files: every holder FastTrack names is one Gnutella's full flood could name too
        var fetched = await Peer("cmp-ft", searcher).FetchAsync("metallica yesterday", null);
        Assert.True(fetched.Success, fetched.Error);
        Assert.Contains("yesterday", fetched.Chosen!.File.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peers_join_their_closest_supernode_and_reputation_promotes_peers_over_rounds()
    {
        const string overlay = "ft-promote";
        var parameters = new FastTrackParameters { Peers = 40, Degree = 3 + 1, FreeRiders = 0.2, Seed = 8, MeanUptimeHours = 1 };
        await fixture.Client.GetGrain<IFastTrackOverlayGrain>(overlay).CreateAsync(parameters);
        var control = fixture.Client.GetGrain<IFastTrackOverlayGrain>(overlay);
        var before = await control.SupernodesAsync();
        Assert.NotEmpty(before);

        var network = new P2POrleans.Common.NetworkModel(parameters.Seed);
        foreach (var view in (await control.PeersAsync()).Where(v => v.Role == "ordinary"))
        {
            var closest = before.MinBy(s => network.Rtt(UnstructuredNodes.IdOf(view.Node), UnstructuredNodes.IdOf(s)));
            Assert.Equal([closest], view.Neighbours);
        }

        // 16 rounds of 15 minutes = 4 hours: everybody still online passes the threshold of 4 points
        await fixture.Client.GetGrain<P2POrleans.Common.IOverlayRegistryGrain>(overlay).StepAsync(16);
        var after = await control.SupernodesAsync();
        Assert.True(after.Count > before.Count);

        // a supernode that leaves is demoted; its children move to another supernode and still find files
        var leaving = after[0];
        await Peer(overlay, leaving).LeaveAsync();
        Assert.DoesNotContain(leaving, await control.SupernodesAsync());
        var views = await control.PeersAsync();
        Assert.All(views, v => Assert.DoesNotContain(leaving, v.Neighbours));
        var anyone = views.First(v => v.Role == "ordinary" || v.Role.StartsWith("supernode", StringComparison.Ordinal)).Node;
        Assert.True((await Peer(overlay, anyone).SearchAsync("beatles", null)).Success);
    }
}
