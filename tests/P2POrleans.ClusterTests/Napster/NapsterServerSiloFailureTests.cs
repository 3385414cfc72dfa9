using P2POrleans.Common;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.ClusterTests.Napster;

/// <summary>
/// The central server's silo dies (docs/napster.md, "When the server's silo dies"): the server stays the
/// single point of failure and loses its directory, but it answers (down, in words), `recover-server`
/// restarts it and the peers on live silos log in again on their next round.
/// </summary>
[Collection(NapsterKillableCluster.Name)]
public sealed class NapsterServerSiloFailureTests(ClusterFixture fixture)
{
    private const string Query = "beatles yesterday";

    private INapsterPeerGrain Peer(string overlay, int node) => fixture.Client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(overlay, node));

    private INapsterServerGrain Server(string overlay) => fixture.Client.GetGrain<INapsterServerGrain>(overlay);

    [Fact]
    public async Task The_server_activated_again_after_its_silo_died_answers_down_recovers_and_the_peers_log_in_again()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new NapsterParameters { Peers = 30, Degree = 4, FreeRiders = 0, Titles = 3, FilesPerPeer = 1, Seed = 6 };
        var (name, serverHost) = await SiloKill.CreateOffPrimaryAsync(client, cluster, "napster-spof",
            n => client.GetGrain<INapsterOverlayGrain>(n).CreateAsync(parameters), Server);
        var members = await client.GetGrain<IOverlayRegistryGrain>(name).GetMembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, id => Peer(name, UnstructuredNodes.NodeOf(id)));
        var victim = cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(serverHost));
        var lost = SiloKill.PeersOn(hostOf, victim).Select(UnstructuredNodes.NodeOf).ToHashSet();
        var searcher = members.Select(UnstructuredNodes.NodeOf).First(n => !lost.Contains(n));
        var before = await Peer(name, searcher).SearchAsync(Query);
        Assert.True(before.Success, before.Error);

        await SiloKill.KillAsync(cluster, victim);

        // Barrier: the server answers again (a call may fail while the cluster forgets the dead activation).
        NapsterServerStats? stats = null;
        await SiloKill.UntilAsync(async () => (stats = await Server(name).StatsAsync()) is not null, "the napster server never answered after its silo died");
        Assert.False(stats!.Up);

        var down = await Peer(name, searcher).SearchAsync(Query);
        Assert.False(down.Success);
        Assert.Contains("is down (single point of failure): its silo stopped", down.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("no napster overlay", down.Error, StringComparison.Ordinal);

        // The console's recover-server works on the new activation; one round later the live peers are back.
        var recovered = await CliRunner.RunAsync(client, "napster", "recover-server", name);
        Assert.True(recovered.ExitCode == 0, recovered.Error);
        Assert.True((await Server(name).StatsAsync()).Up);
        await client.GetGrain<IOverlayRegistryGrain>(name).StepAsync(1);
        stats = await Server(name).StatsAsync();
        Assert.True(stats.Up);
        Assert.Equal(members.Count - lost.Count, stats.Peers);

        var after = await Peer(name, searcher).SearchAsync(Query);
        Assert.True(after.Success, after.Error);
        Assert.NotEmpty(after.Hits);
        Assert.DoesNotContain(after.Hits, h => lost.Contains(h.Node));
        var holdersBefore = before.Hits.Select(h => h.Node).Where(n => !lost.Contains(n)).ToHashSet();
        Assert.Equal(holdersBefore, after.Hits.Select(h => h.Node).ToHashSet());
    }
}
