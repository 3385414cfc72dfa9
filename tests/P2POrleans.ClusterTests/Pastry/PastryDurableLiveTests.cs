using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

/// <summary>
/// Durable Pastry peers on the live clock: after a silo crash nobody steps; the relocated
/// peers' own timers resume their leaf-set heartbeats and repairs (Rowstron and Druschel section 2.4),
/// and with one copy per key only their persisted state serves the keys they held.
/// </summary>
[Collection(PastryDurableLiveCluster.Name)]
public sealed class PastryDurableLiveTests(RedisStorageClusterFixture fixture)
{
    [Fact]
    public async Task Durable_peers_on_the_live_clock_resume_their_rounds_where_they_are_reactivated()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;

        // One copy per key: a key of a peer on the killed silo survives only in that peer's record.
        var parameters = new PastryParameters { Bits = 32, LeafSetSize = 8, Replicas = 1, Durable = true, Clock = ClockMode.Live, PeriodMs = 100, Seed = 4 };
        var overlay = await PastryHarness.CreateAsync(client, "pastry-durable-live", parameters);
        await overlay.Control.JoinHostsAsync(24);
        await SiloKill.UntilAsync(async () => (await overlay.Control.CheckAsync()).StateCorrect, "the live overlay never converged");
        var members = await overlay.MembersAsync();
        var keys = await SiloKill.PutKeysAsync(members, 40, async (m, key) => Assert.Single((await overlay.Peer(m).PutAsync(key, Value(key))).StoredAt));
        await SiloKill.UntilAsync(async () => Converged(await overlay.Control.CheckAsync()), "the keys never settled on their owners");

        // Kill a non-primary silo (the one hosting the most peers).
        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(cluster, hostOf);
        var moved = SiloKill.PeersOn(hostOf, victim);
        Assert.NotEmpty(moved);
        var clock = await SiloKill.KillAsync(cluster, victim);
        var noticed = clock.Elapsed;

        // Nobody steps: every key comes back (its root reactivated by the lookups), a relocated peer's
        // own timer runs (its heartbeats count as maintenance messages), and the overlay converges again.
        var survivor = members.First(m => !moved.Contains(m));
        foreach (var key in keys)
        {
            await SiloKill.UntilAsync(async () => (await overlay.Peer(survivor).GetAsync(key)).Value == Value(key), $"{key} never came back");
        }

        var keysBack = clock.Elapsed;
        var relocated = moved.First();
        var before = (await overlay.Peer(relocated).GetStateAsync()).MaintenanceMessages;
        await SiloKill.UntilAsync(async () => (await overlay.Peer(relocated).GetStateAsync()).MaintenanceMessages > before + 3, "a relocated peer's timer never ran");
        await SiloKill.UntilAsync(async () => Converged(await overlay.Control.CheckAsync()), "the live overlay did not converge again");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{moved.Count} of {members.Count} peers on the killed silo; membership noticed after {noticed.TotalSeconds:F2} s, " +
            $"all {keys.Count} keys served again after {keysBack.TotalSeconds:F2} s, converged again after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(members.Order(), (await overlay.MembersAsync()).Order());
        await overlay.Registry.DeleteAsync();
    }

    private static bool Converged(PastryCheckReport report) => report.StateCorrect && report.KeysInPlace;

    private static string Value(string key) => "value of " + key;
}
