using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

/// <summary>
/// Durable Kelips peers: with one copy per file (the paper's home node) only the persisted
/// state can save the files whose home was on a killed silo. The registry lives there too.
/// </summary>
[Collection(KelipsDurableCluster.Name)]
public sealed class KelipsDurableTests(RedisStorageClusterFixture fixture)
{
    [Fact]
    public async Task A_silo_crash_loses_no_file_of_a_durable_overlay_with_one_copy_per_file()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;

        // An overlay whose registry sits on a non-primary silo: that is the silo we kill.
        var (name, registryHost) = await SiloKill.OverlayOffPrimaryAsync(client, cluster, "kelips-durable");
        var overlay = await KelipsHarness.CreateAsync(client, name, new KelipsParameters { ExpectedPeers = 100, Durable = true, Replicas = 1, Seed = 9 });
        await overlay.Control.JoinHostsAsync(100);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        await overlay.InsertAsync(300, seed: 5);
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 80)).Report));

        // Every peer, the registry and the directory wrote a record to Redis.
        var members = await overlay.MembersAsync();
        Assert.True(await fixture.Redis.KeyCountAsync() >= members.Count + 1);

        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(registryHost));
        var onVictim = SiloKill.PeersOn(hostOf, victim);
        var filesOnVictim = overlay.Homes.Where(h => onVictim.Contains(h.Value)).Select(h => h.Key).ToList();
        Assert.NotEmpty(filesOnVictim);

        var clock = await SiloKill.KillAsync(cluster, victim);
        var noticed = clock.Elapsed;

        // Barrier: a file whose home lived on the killed silo is served again (its home reactivated elsewhere).
        // A short pause between tries keeps the measured time close to the first correct answer.
        var survivor = members.First(m => !onVictim.Contains(m));
        var probe = filesOnVictim[0];
        await SiloKill.UntilAsync(async () => (await overlay.Peer(survivor).LookupAsync(probe)).Content == Content(probe), $"{probe} was never served again", pauseMs: 10);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{onVictim.Count} peers and {filesOnVictim.Count} of {overlay.Homes.Count} files' homes on the killed silo; membership noticed after {noticed.TotalSeconds:F1} s, first correct lookup of such a file after {clock.Elapsed.TotalSeconds:F1} s");

        // Rounds until converged: every peer is reactivated (the registry ticks them all), resumes,
        // and gossip refreshes the soft state (filetuples) that was not written since the peer's last write.
        Assert.Equal(members.Order(), (await overlay.MembersAsync()).Order());
        Assert.True((await overlay.Registry.GetAsync())!.Parameters is KelipsParameters { Durable: true, Replicas: 1 });
        var (resumed, rounds) = await overlay.StepUntilAsync(KelipsHarness.Converged, 60);
        Assert.True(KelipsHarness.Converged(resumed), resumed.ToString());
        Assert.Equal(members.Order(), (await overlay.MembersAsync()).Order());

        // Every file, from two starting points, with its content and its home: none lost.
        var lost = new List<string>();
        foreach (var (file, home) in overlay.Homes)
        {
            foreach (var from in new[] { members[0], members[^1] })
            {
                var r = await overlay.Peer(from).LookupAsync(file);
                if (r.Content != Content(file) || r.Lookup.Owner != home)
                {
                    lost.Add($"{file} from {from}: {r.Lookup.Error ?? "found"}, fetched {r.Fetched}, owner {r.Lookup.Owner} home {home}, path {string.Join(" > ", r.Lookup.Path.Select(h => h.Reason))}");
                }
            }
        }

        Assert.True(lost.Count == 0, $"{lost.Count} lookups failed: {string.Join("; ", lost.Take(5))}");
        TestContext.Current.TestOutputHelper?.WriteLine($"files lost: {lost.Count} of {overlay.Homes.Count}; converged again {rounds} rounds after the kill, every file found {clock.Elapsed.TotalSeconds:F1} s after it");

        // The relocated peers are working members on the surviving silos.
        Assert.Equal(members.Count, resumed.Peers);
        foreach (var m in onVictim)
        {
            var state = await overlay.Peer(m).GetStateAsync();
            Assert.NotEqual(victim.SiloAddress.ToString(), state.Silo);
            Assert.Equal(m, state.Id);
        }
    }

    [Fact]
    public async Task Failing_or_leaving_a_durable_peer_deletes_its_record_and_volatile_overlays_write_nothing()
    {
        var client = fixture.Client;
        var before = await fixture.Redis.KeyCountAsync();
        var volatileOverlay = await KelipsHarness.CreateAsync(client, "kelips-volatile-no-writes", new KelipsParameters { ExpectedPeers = 16, Bits = 32, Replicas = 2, Seed = 2 });
        await volatileOverlay.Control.JoinHostsAsync(10);
        await volatileOverlay.Registry.StepAsync(10);
        await volatileOverlay.InsertAsync(5, seed: 1);
        await volatileOverlay.Registry.StepAsync(3);
        Assert.Equal(before, await fixture.Redis.KeyCountAsync());

        var overlay = await KelipsHarness.CreateAsync(client, "kelips-durable-records", new KelipsParameters { ExpectedPeers = 16, Bits = 32, Seed = 2, Durable = true });
        await overlay.Control.JoinHostsAsync(6);
        await overlay.Registry.StepAsync(10);
        var members = await overlay.MembersAsync();
        var withOverlay = await fixture.Redis.KeyCountAsync();
        Assert.True(withOverlay >= before + 6 + 1, $"{withOverlay} keys, {before} before");

        await overlay.Peer(members[0]).FailAsync();
        await overlay.Peer(members[1]).LeaveAsync();
        Assert.Equal(withOverlay - 2, await fixture.Redis.KeyCountAsync());
        await Assert.ThrowsAsync<PeerUnreachableException>(() => overlay.Peer(members[0]).GetStateAsync());

        await overlay.Registry.DeleteAsync();
        // Registry and peers deleted their records; the directory keeps one (now without this overlay).
        Assert.InRange(await fixture.Redis.KeyCountAsync(), before, before + 1);
    }

    private static string Content(string file) => "content of " + file;
}
