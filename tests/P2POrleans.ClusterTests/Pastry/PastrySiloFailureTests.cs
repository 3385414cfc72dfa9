using Orleans.Runtime;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

[Collection(PastryKillableCluster.Name)]
public sealed class PastrySiloFailureTests(PastryKillableClusterFixture fixture)
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
        var holders = new Dictionary<NodeId, HashSet<NodeId>>();
        foreach (var m in members)
        {
            foreach (var k in await overlay.Peer(m).GetKeyIdsAsync())
            {
                (holders.TryGetValue(k, out var set) ? set : holders[k] = []).Add(m);
            }
        }

        // Kill a silo that hosts neither the registry nor the primary.
        var registryHost = await overlay.Registry.GetHostAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        var hostOf = new Dictionary<NodeId, SiloAddress>();
        foreach (var m in members)
        {
            hostOf[m] = (await management.GetActivationAddress(overlay.Peer(m)))!;
        }

        var victim = fixture.Cluster.GetActiveSilos()
            .Where(s => !s.SiloAddress.Equals(registryHost) && s != fixture.Cluster.Primary)
            .OrderByDescending(s => hostOf.Values.Count(h => h.Equals(s.SiloAddress)))
            .First();
        var lost = members.Where(m => hostOf[m].Equals(victim.SiloAddress)).ToHashSet();
        Assert.NotEmpty(lost);
        await fixture.Cluster.KillSiloAsync(victim);
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
