using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

/// <summary>
/// Durable Kelips peers on the live clock: after a silo crash nobody steps; the relocated
/// peers' own timers resume their gossip (heartbeats jump by the periods they missed) and every file
/// is served again by its home.
/// </summary>
[Collection(KelipsDurableLiveCluster.Name)]
public sealed class KelipsDurableLiveTests(RedisStorageClusterFixture fixture)
{
    [Fact]
    public async Task Durable_peers_on_the_live_clock_resume_gossip_where_they_are_reactivated()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new KelipsParameters { ExpectedPeers = 24, Bits = 32, Durable = true, Clock = ClockMode.Live, PeriodMs = 100, MemberTimeoutRounds = 20, ContactTimeoutRounds = 40, Seed = 4 };
        var overlay = await KelipsHarness.CreateAsync(client, "kelips-durable-live", parameters);
        await overlay.Control.JoinHostsAsync(24);
        await SiloKill.UntilAsync(async () => KelipsHarness.ViewsAndContactsComplete(await overlay.Control.CheckAsync()), "the live overlay never converged");
        await overlay.InsertAsync(40, seed: 6, prefix: "live");
        await SiloKill.UntilAsync(async () => KelipsHarness.Converged(await overlay.Control.CheckAsync()), "the filetuples never spread");

        // Kill a non-primary silo (whichever is left if the other kill test ran first).
        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(cluster, hostOf);
        var moved = SiloKill.PeersOn(hostOf, victim).ToList();
        Assert.NotEmpty(moved);
        await SiloKill.KillAsync(cluster, victim);

        // Nobody steps: every file comes back (homes reactivated by the lookups' fetches), the
        // relocated peers' own timers run (their round counters grow), and the overlay converges again.
        var survivor = members.First(m => !moved.Contains(m));
        foreach (var (file, _) in overlay.Homes)
        {
            await SiloKill.UntilAsync(async () => (await overlay.Peer(survivor).LookupAsync(file)).Content == Content(file), $"{file} never came back");
        }

        var before = (await overlay.Peer(moved[0]).GetStateAsync()).Counters.Rounds;
        await SiloKill.UntilAsync(async () => (await overlay.Peer(moved[0]).GetStateAsync()).Counters.Rounds > before + 3, "a relocated peer's timer never ran");
        await SiloKill.UntilAsync(async () => KelipsHarness.Converged(await overlay.Control.CheckAsync()), "the live overlay did not converge again");
        Assert.Equal(members.Order(), (await overlay.MembersAsync()).Order());
        await overlay.Registry.DeleteAsync();
    }

    private static string Content(string file) => "content of " + file;
}
