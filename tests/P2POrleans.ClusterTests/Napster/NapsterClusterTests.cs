using P2POrleans.Common;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.ClusterTests.Napster;

/// <summary>The central server: search, best-host fetch, dead peers, and the single point of failure.</summary>
[Collection(SharedCluster.Name)]
public sealed class NapsterClusterTests(ClusterFixture fixture)
{
    private INapsterPeerGrain Peer(string overlay, int node) => fixture.Client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(overlay, node));

    private INapsterServerGrain Server(string overlay) => fixture.Client.GetGrain<INapsterServerGrain>(overlay);

    [Fact]
    public async Task Napster_survives_peer_failures_and_reports_the_server_down_until_peers_re_register()
    {
        const string overlay = "napster-sp";
        var parameters = new NapsterParameters { Peers = 30, Degree = 4, FreeRiders = 0, Titles = 3, FilesPerPeer = 1, Seed = 6 };
        await fixture.Client.GetGrain<INapsterOverlayGrain>(overlay).CreateAsync(parameters);
        Assert.Equal(30, (await Server(overlay).StatsAsync()).Peers);

        var search = await Peer(overlay, 0).SearchAsync("beatles yesterday");
        Assert.True(search.Success);
        Assert.Equal(2, search.MessageCount); // one request to the server, one answer
        var holders = search.Hits.Select(h => h.Node).Distinct().ToList();
        Assert.True(holders.Count >= 3);

        // crash all holders but one: the client's pings find them dead, the server drops them
        foreach (var h in holders.Skip(1))
        {
            await Peer(overlay, h).FailAsync();
        }

        var fetch = await Peer(overlay, 0).FetchAsync("beatles yesterday");
        Assert.True(fetch.Success, fetch.Error);
        Assert.Equal(holders[0], fetch.Chosen!.Node);
        Assert.Equal(holders.Count - 1, fetch.Probed.Count(p => p.RttMs is null));
        Assert.Equal([holders[0]], (await Peer(overlay, 0).SearchAsync("beatles yesterday")).Hits.Select(h => h.Node).Distinct());
        Assert.Equal(holders.Count - 1, (await Server(overlay).StatsAsync()).DeadReported);

        // the server crashes: searches fail with a clear error
        await Server(overlay).FailAsync();
        var down = await Peer(overlay, 0).SearchAsync("beatles yesterday");
        Assert.False(down.Success);
        Assert.Contains("down", down.Error, StringComparison.Ordinal);
        Assert.False((await Peer(overlay, 0).FetchAsync("beatles yesterday")).Success);

        // back up empty; each peer logs in again on its next round
        await Server(overlay).RecoverAsync();
        Assert.Empty((await Peer(overlay, 0).SearchAsync("beatles yesterday")).Hits);
        await fixture.Client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(1);
        var stats = await Server(overlay).StatsAsync();
        Assert.Equal(30 - (holders.Count - 1), stats.Peers);
        Assert.Equal([holders[0]], (await Peer(overlay, 0).SearchAsync("beatles yesterday")).Hits.Select(h => h.Node).Distinct());
    }

    [Fact]
    public async Task Fetch_picks_the_host_with_the_shortest_estimated_transfer_and_leave_removes_the_files()
    {
        const string overlay = "napster-best";
        await fixture.Client.GetGrain<INapsterOverlayGrain>(overlay).CreateAsync(
            new NapsterParameters { Peers = 20, Degree = 4, FreeRiders = 0, Titles = 2, FilesPerPeer = 1, Seed = 12 });
        var fetch = await Peer(overlay, 3).FetchAsync("madonna");
        Assert.True(fetch.Success, fetch.Error);
        var best = fetch.Probed.Where(p => p.RttMs is not null).MinBy(p => BestHostSelector.EstimatedMs(p, fetch.Chosen!.File.Size));
        Assert.Equal(best!.Node, fetch.Chosen!.Node);

        await Peer(overlay, fetch.Chosen.Node).LeaveAsync();
        Assert.DoesNotContain(fetch.Chosen.Node, (await Peer(overlay, 3).SearchAsync("madonna")).Hits.Select(h => h.Node));
        Assert.Equal(19, (await Server(overlay).StatsAsync()).Peers);
    }
}
