using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

/// <summary>
/// Durable Pastry peers: with one copy per key only the persisted state can save the keys
/// of the peers on a killed silo. The registry lives on the killed silo too and must come back.
/// </summary>
[Collection(PastryDurableCluster.Name)]
public sealed class PastryDurableTests(RedisStorageClusterFixture fixture)
{
    [Fact]
    public async Task A_silo_crash_loses_no_key_of_a_durable_overlay_with_one_copy_per_key()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;

        // An overlay whose registry sits on a non-primary silo: that is the silo we kill.
        var (name, registryHost) = await SiloKill.OverlayOffPrimaryAsync(client, cluster, "pastry-durable");
        var parameters = new PastryParameters { LeafSetSize = 16, Replicas = 1, Durable = true, Seed = 9 };
        var overlay = await PastryHarness.CreateAsync(client, name, parameters);
        await overlay.Control.JoinHostsAsync(100);
        var converged = await overlay.RepairAsync(30);
        Assert.True(converged.StateCorrect && converged.KeysInPlace, converged.ToString());

        var members = await overlay.MembersAsync();
        var keys = await SiloKill.PutKeysAsync(members, 300, async (m, key) => Assert.Single((await overlay.Peer(m).PutAsync(key, Value(key))).StoredAt));

        // Every peer, the registry and the directory wrote a record to Redis.
        Assert.True(await fixture.Redis.KeyCountAsync() >= members.Count + 1);

        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(registryHost));
        var onVictim = SiloKill.PeersOn(hostOf, victim);
        var keysOnVictim = (await SiloKill.KeyHoldersAsync(onVictim, m => overlay.Peer(m).GetKeyIdsAsync())).Keys.ToHashSet();
        Assert.NotEmpty(keysOnVictim);
        var space = parameters.Space;
        var probe = keys.First(k => keysOnVictim.Contains(space.Hash(k)));

        var clock = await SiloKill.KillAsync(cluster, victim);
        var noticed = clock.Elapsed;

        // Barrier: a key that lived on the killed silo is served again (its peer reactivated elsewhere).
        // A short pause between tries keeps the measured time close to the first correct answer.
        var survivor = members.First(m => !onVictim.Contains(m));
        await SiloKill.UntilAsync(async () => (await overlay.Peer(survivor).GetAsync(probe)).Value == Value(probe), $"{probe} was never served again", pauseMs: 10);
        var firstGet = clock.Elapsed;

        // The registry came back with its parameters and every member: nobody was dropped.
        Assert.Equal(members.Order(), (await overlay.MembersAsync()).Order());
        Assert.True((await overlay.Registry.GetAsync())!.Parameters is PastryParameters { Durable: true, Replicas: 1 });

        // Every key, from two starting points, with its value: no key lost.
        var lost = await SiloKill.LostAsync(keys, [members[0], members[^1]], async (from, key) => await TryGetAsync(overlay, from, key) == Value(key));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{onVictim.Count} peers and {keysOnVictim.Count} keys on the killed silo; membership noticed after {noticed.TotalSeconds:F2} s, " +
            $"first correct get of such a key after {firstGet.TotalSeconds:F2} s; keys lost: {lost.Count}");
        Assert.Empty(lost);

        // The relocated peers are working members on the surviving silos, and the overlay is still exact.
        var report = await overlay.RepairAsync(20);
        Assert.True(report.StateCorrect && report.KeysInPlace, report.ToString());
        Assert.Equal(members.Count, report.Peers);
        foreach (var m in onVictim)
        {
            var state = await overlay.Peer(m).GetStateAsync();
            Assert.NotNull(state.Silo);
            Assert.NotEqual(victim.SiloAddress.ToString(), state.Silo);
        }
    }

    [Fact]
    public async Task Failing_or_leaving_a_durable_peer_deletes_its_record_and_volatile_overlays_write_nothing()
    {
        var client = fixture.Client;
        var before = await fixture.Redis.KeyCountAsync();
        var volatileOverlay = await PastryHarness.CreateAsync(client, "pastry-volatile-no-writes", new PastryParameters { Bits = 32, LeafSetSize = 4, Replicas = 2, Seed = 2 });
        await volatileOverlay.Control.JoinHostsAsync(10);
        await volatileOverlay.RepairAsync(10);
        await volatileOverlay.Peer((await volatileOverlay.MembersAsync())[0]).PutAsync("k", "v");
        Assert.Equal(before, await fixture.Redis.KeyCountAsync());

        var overlay = await PastryHarness.CreateAsync(client, "pastry-durable-records", new PastryParameters { Bits = 32, LeafSetSize = 4, Replicas = 2, Seed = 2, Durable = true });
        await overlay.Control.JoinHostsAsync(6);
        await overlay.RepairAsync(10);
        var members = await overlay.MembersAsync();
        await overlay.Peer(members[2]).PutAsync("k", "v");
        var withOverlay = await fixture.Redis.KeyCountAsync();
        Assert.True(withOverlay >= before + 6 + 1, $"{withOverlay} keys, {before} before");

        await overlay.Peer(members[0]).FailAsync();
        await overlay.Peer(members[1]).LeaveAsync();
        Assert.Equal(withOverlay - 2, await fixture.Redis.KeyCountAsync());
        await Assert.ThrowsAsync<PeerUnreachableException>(() => overlay.Peer(members[0]).GetStateAsync());
        Assert.Equal("v", (await overlay.Peer(members[3]).GetAsync("k")).Value);

        await overlay.Registry.DeleteAsync();
        // Registry and peers deleted their records; the directory keeps one (now without this overlay).
        Assert.InRange(await fixture.Redis.KeyCountAsync(), before, before + 1);
    }

    private static string Value(string key) => "value of " + key;

    private static async Task<string?> TryGetAsync(PastryHarness overlay, NodeId from, string key)
    {
        try
        {
            return (await overlay.Peer(from).GetAsync(key)).Value;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return null;
        }
    }
}
