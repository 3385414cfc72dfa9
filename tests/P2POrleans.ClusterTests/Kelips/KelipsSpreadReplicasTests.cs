using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

/// <summary>
/// Backup copies spread over silos in a volatile overlay: each home keeps two backups at
/// group mates on other silos, so one silo crash leaves a copy of every file whose home's group spans
/// two silos; the first surviving holder adopts the file once the home leaves its view.
/// </summary>
[Collection(KelipsSpreadKillableCluster.Name)]
public sealed class KelipsSpreadReplicasTests(ClusterFixture fixture)
{
    [Fact]
    public async Task With_backups_spread_over_silos_a_silo_crash_loses_no_file_of_a_volatile_overlay()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new KelipsParameters { ExpectedPeers = 100, Replicas = 3, SpreadReplicas = true, MemberTimeoutRounds = 12, ContactTimeoutRounds = 40, Seed = 13 };
        var overlay = await KelipsHarness.CreateAsync(client, "kelips-spread", parameters);
        await overlay.Control.JoinHostsAsync(100);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        await overlay.InsertAsync(300, seed: 7);
        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);

        // Barrier: rounds until every file has its three copies and they span two silos wherever the
        // home's group does (homes learn silos from the holders' replies and move copies).
        var protectedFiles = overlay.Homes.Keys.Where(f => members.Any(m => overlay.Groups.Of(m) == overlay.Groups.Of(overlay.Homes[f]) && !hostOf[m].Equals(hostOf[overlay.Homes[f]]))).ToList();
        Dictionary<string, List<NodeId>> copies = [];
        var settled = false;
        for (var round = 0; round < 20 && !settled; round++)
        {
            copies = await CopiesAsync(overlay, members);
            settled = overlay.Homes.Keys.All(f => copies.GetValueOrDefault(f)?.Count == 3)
                && protectedFiles.All(f => copies[f].Select(h => hostOf[h]).Distinct().Count() >= 2);
            if (!settled)
            {
                await overlay.Registry.StepAsync(1);
            }
        }

        Assert.True(settled, "backups never settled on three copies over two silos");
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 60)).Report));

        // Kill the non-primary silo that does not host the registry (volatile: it is bookkeeping and dies).
        var victim = SiloKill.PickVictim(cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var lostPeers = SiloKill.PeersOn(hostOf, victim);
        var homesLost = overlay.Homes.Count(h => lostPeers.Contains(h.Value));
        var allCopiesLost = overlay.Homes.Keys.Count(f => copies[f].All(lostPeers.Contains));
        Assert.NotEmpty(lostPeers);
        Assert.Equal(0, allCopiesLost);
        await SiloKill.KillAsync(cluster, victim);

        // Steps prune the dead peers; holders adopt the files of dead homes and gossip their tuples.
        // Barrier: every file found with its content from two survivors (checked every few rounds).
        var from = members.Where(m => !lostPeers.Contains(m)).ToList();
        NodeId[] starts = [from[0], from[^1]];
        var missing = overlay.Homes.Keys.ToList();
        var rounds = 0;
        var progress = new List<string>();
        while (missing.Count > 0 && rounds < 120)
        {
            await overlay.Registry.StepAsync(3);
            rounds += 3;
            missing = await SiloKill.LostAsync(missing, starts, async (start, file) => (await overlay.Peer(start).LookupAsync(file)).Content == "content of " + file);
            progress.Add($"{rounds}:{missing.Count}");
        }

        Assert.Empty(missing);
        var survivors = await overlay.MembersAsync();
        Assert.Equal(from.Order(), survivors.Order());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{lostPeers.Count} peers killed, homes of {homesLost} of {overlay.Homes.Count} files among them; {protectedFiles.Count} files had a second silo in their home's group; " +
            $"files lost: 0; every file found again {rounds} rounds after the kill (member timeout {parameters.MemberTimeoutRounds}); files not found yet after each 3 rounds: {string.Join(" ", progress)}");
    }

    /// <summary>Where each live file's copies are: its home and the holders of its backups.</summary>
    private static async Task<Dictionary<string, List<NodeId>>> CopiesAsync(KelipsHarness overlay, IReadOnlyList<NodeId> members)
    {
        var copies = new Dictionary<string, List<NodeId>>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            var state = await overlay.Peer(m).GetStateAsync();
            foreach (var file in state.HostedFiles.Concat(state.Backups ?? []))
            {
                (copies.TryGetValue(file, out var list) ? list : copies[file] = []).Add(m);
            }
        }

        return copies;
    }
}
