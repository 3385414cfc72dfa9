using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

[Collection(PastryKillableCluster.Name)]
public sealed class PastrySiloFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_leaves_survivors_routing_correctly_after_repair()
    {
        var client = fixture.Client;
        var overlay = await PastryHarness.CreateAsync(client, "pastry-silo-kill", new PastryParameters { Seed = 21, LeafSetSize = 16, Replicas = 4 });
        await overlay.Control.JoinHostsAsync(60);
        var members = await overlay.MembersAsync();
        var keys = Enumerable.Range(0, 100).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await overlay.Peer(members[key.Length]).PutAsync(key, key.ToUpperInvariant());
        }

        // Which peers hold which key, before the crash.
        var holders = await SiloKill.KeyHoldersAsync(members, m => overlay.Peer(m).GetKeyIdsAsync());

        // Kill a silo that hosts neither the registry nor the primary.
        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var lost = SiloKill.PeersOn(hostOf, victim);
        Assert.NotEmpty(lost);
        await SiloKill.KillAsync(fixture.Cluster, victim);

        // TestCluster's liveness wait, kept from before: with the membership barrier alone one run of
        // the Kelips test found 106 of 120 files while degraded (108 needed); why is not yet known.
        await fixture.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        // Peers that lived there come back empty: no longer members. Rounds prune and repair.
        var report = await overlay.RepairAsync(10);
        var survivors = await overlay.MembersAsync();
        Assert.Equal(members.Where(m => !lost.Contains(m)).Order(), survivors.Order());
        Assert.True(report.StateCorrect, report.ToString());
        Assert.Equal(0, await overlay.WrongOwnersAsync(80, "after-kill-"));

        var space = overlay.Parameters.Space;
        var expected = keys.Where(k => holders[space.Hash(k)].Any(survivors.Contains)).ToList();
        Assert.NotEmpty(expected);
        foreach (var key in expected)
        {
            Assert.Equal(key.ToUpperInvariant(), (await overlay.Peer(survivors[^1]).GetAsync(key)).Value);
        }
    }
}
