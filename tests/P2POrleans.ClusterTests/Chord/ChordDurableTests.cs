using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

/// <summary>
/// Durable peers: with one copy per key only the persisted state can save the keys of the
/// peers on a killed silo. The registry lives on the killed silo too and must come back.
/// </summary>
[Collection(ChordDurableCluster.Name)]
public sealed class ChordDurableTests(RedisStorageClusterFixture fixture)
{
    [Fact]
    public async Task A_silo_crash_loses_no_key_of_a_durable_ring_with_one_copy_per_key()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;

        // An overlay whose registry sits on a non-primary silo: that is the silo we kill.
        var (overlay, registryHost) = await SiloKill.OverlayOffPrimaryAsync(client, cluster, "durable");
        var parameters = new ChordParameters { Bits = 160, Successors = 8, Replicas = 1, Durable = true, Seed = 9 };
        var ring = await ChordHarness.CreateAsync(client, overlay, parameters);
        await ring.Control.JoinHostsAsync(100);
        Assert.True(ChordHarness.Converged(await ring.StabilizeAsync(60, fingersToo: false), fingersToo: false));

        var members = await ring.MembersAsync();
        var keys = await SiloKill.PutKeysAsync(members, 300, async (m, key) => Assert.Single((await ring.Peer(m).PutAsync(key, Value(key))).StoredAt));

        // Every peer, the registry and the directory wrote a record to Redis.
        Assert.True(await fixture.Redis.KeyCountAsync() >= members.Count + 1);

        var hostOf = await SiloKill.HostsAsync(client, members, ring.Peer);
        var victim = cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(registryHost));
        var onVictim = SiloKill.PeersOn(hostOf, victim);
        var keysOnVictim = (await SiloKill.KeyHoldersAsync(onVictim, m => ring.Peer(m).GetKeyIdsAsync())).Keys.ToHashSet();
        Assert.NotEmpty(keysOnVictim);
        var probe = keys.First(k => keysOnVictim.Contains(IdSpace.Sha1.Hash(k)));

        var clock = await SiloKill.KillAsync(cluster, victim);
        var noticed = clock.Elapsed;

        // Barrier: a key that lived on the killed silo is served again (its peer reactivated elsewhere).
        // A short pause between tries keeps the measured time close to the first correct answer.
        var survivor = members.First(m => !onVictim.Contains(m));
        await SiloKill.UntilAsync(async () => (await ring.Peer(survivor).GetAsync(probe)).Value == Value(probe), $"{probe} was never served again", pauseMs: 10);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{onVictim.Count} peers and {keysOnVictim.Count} keys on the killed silo; membership noticed after {noticed.TotalSeconds:F1} s, first correct lookup of such a key after {clock.Elapsed.TotalSeconds:F1} s");

        // The registry came back with its parameters and every member: nobody was dropped.
        Assert.Equal(members.Order(), (await ring.MembersAsync()).Order());
        Assert.True((await ring.Registry.GetAsync())!.Parameters is ChordParameters { Durable: true, Replicas: 1 });

        // Every key, from two starting points, with its value: no key lost.
        var lost = await SiloKill.LostAsync(keys, [members[0], members[^1]], async (from, key) => (await ring.Peer(from).GetAsync(key)).Value == Value(key));
        Assert.Empty(lost);

        // The relocated peers are working members on the surviving silos, and the ring is still exact.
        var report = await ring.StabilizeAsync(20, fingersToo: false);
        Assert.True(ChordHarness.Converged(report, fingersToo: false), report.ToString());
        Assert.Equal(members.Count, report.Peers);
        foreach (var m in onVictim)
        {
            var state = await ring.Peer(m).GetStateAsync();
            Assert.NotEqual(victim.SiloAddress.ToString(), state.Silo);
        }
    }

    [Fact]
    public async Task Failing_or_leaving_a_durable_peer_deletes_its_record_and_volatile_overlays_write_nothing()
    {
        var client = fixture.Client;
        var before = await fixture.Redis.KeyCountAsync();
        var volatileRing = await ChordHarness.CreateAsync(client, "volatile-no-writes", new ChordParameters { Bits = 16, Seed = 2 });
        await volatileRing.Control.JoinHostsAsync(10);
        await volatileRing.StabilizeAsync(30);
        await volatileRing.Peer((await volatileRing.MembersAsync())[0]).PutAsync("k", "v");
        Assert.Equal(before, await fixture.Redis.KeyCountAsync());

        var ring = await ChordHarness.CreateAsync(client, "durable-records", new ChordParameters { Bits = 16, Seed = 2, Durable = true });
        await ring.Control.JoinHostsAsync(6);
        await ring.StabilizeAsync(30);
        var members = await ring.MembersAsync();
        var withRing = await fixture.Redis.KeyCountAsync();
        Assert.True(withRing >= before + 6 + 1, $"{withRing} keys, {before} before");

        await ring.Peer(members[0]).FailAsync();
        await ring.Peer(members[1]).LeaveAsync();
        Assert.Equal(withRing - 2, await fixture.Redis.KeyCountAsync());
        await Assert.ThrowsAsync<PeerUnreachableException>(() => ring.Peer(members[0]).GetStateAsync());

        await ring.Registry.DeleteAsync();
        // Registry and peers deleted their records; the directory keeps one (now without this overlay).
        Assert.InRange(await fixture.Redis.KeyCountAsync(), before, before + 1);
    }

    [Fact]
    public async Task Durable_peers_on_the_live_clock_restart_their_timers_where_they_are_reactivated()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new ChordParameters { Bits = 32, Successors = 4, Replicas = 1, Durable = true, Clock = ClockMode.Live, PeriodMs = 100, Seed = 4 };
        var ring = await ChordHarness.CreateAsync(client, "durable-live", parameters);
        await ring.Control.JoinHostsAsync(24);
        await SiloKill.UntilAsync(async () => ChordHarness.Converged(await ring.Control.CheckAsync(), fingersToo: false), "the live ring never converged");
        var members = await ring.MembersAsync();
        var keys = Enumerable.Range(0, 60).Select(i => $"live-{i}").ToList();
        foreach (var key in keys)
        {
            await ring.Peer(members[key.Length % members.Count]).PutAsync(key, Value(key));
        }

        // Kill a non-primary silo (whichever is left if the other test killed one already).
        var hostOf = await SiloKill.HostsAsync(client, members, ring.Peer);
        var victim = SiloKill.PickVictim(cluster, hostOf);
        var moved = SiloKill.PeersOn(hostOf, victim);
        Assert.NotEmpty(moved);
        await SiloKill.KillAsync(cluster, victim);

        // Nobody steps: the keys come back, and a relocated peer's own timer keeps running (its count of maintenance messages grows).
        var survivor = members.First(m => !moved.Contains(m));
        foreach (var key in keys)
        {
            await SiloKill.UntilAsync(async () => (await ring.Peer(survivor).GetAsync(key)).Value == Value(key), $"{key} never came back");
        }

        var relocated = moved.First();
        var before = (await ring.Peer(relocated).GetStateAsync()).MaintenanceMessages;
        await SiloKill.UntilAsync(async () => (await ring.Peer(relocated).GetStateAsync()).MaintenanceMessages > before + 3, "a relocated peer's timer never ran");
        await SiloKill.UntilAsync(async () => ChordHarness.Converged(await ring.Control.CheckAsync(), fingersToo: false), "the live ring did not converge again");
        Assert.Equal(members.Count, (await ring.MembersAsync()).Count);
        await ring.Registry.DeleteAsync();
    }

    private static string Value(string key) => "value of " + key;
}
