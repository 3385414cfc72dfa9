using Orleans.Runtime;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

[Collection(KillableCluster.Name)]
public sealed class ChordSiloFailureTests(KillableClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_leaves_a_correct_ring_and_every_key_with_a_surviving_copy()
    {
        var client = fixture.Client;
        var ring = await ChordHarness.CreateAsync(client, "silo-kill", new ChordParameters { Bits = 160, Successors = 8, Replicas = 3, Seed = 21 });
        await ring.Control.JoinHostsAsync(60);
        Assert.True(ChordHarness.Converged(await ring.StabilizeAsync(60), fingersToo: false));

        var members = await ring.MembersAsync();
        var keys = Enumerable.Range(0, 150).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await ring.Peer(members[key.Length]).PutAsync(key, key.ToUpperInvariant());
        }

        // Which peer holds which key, before the crash (ground truth for "kept at least one replica").
        var holders = new Dictionary<NodeId, HashSet<NodeId>>();
        foreach (var m in members)
        {
            foreach (var k in await ring.Peer(m).GetKeyIdsAsync())
            {
                (holders.TryGetValue(k, out var set) ? set : holders[k] = []).Add(m);
            }
        }

        // Kill a silo that does not host the registry (bookkeeping, not part of the protocol).
        var registryHost = await ring.Registry.GetHostAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        var hostOf = new Dictionary<NodeId, SiloAddress>();
        foreach (var m in members)
        {
            hostOf[m] = (await management.GetActivationAddress(ring.Peer(m)))!;
        }

        var victim = fixture.Cluster.GetActiveSilos()
            .Where(s => !s.SiloAddress.Equals(registryHost) && s != fixture.Cluster.Primary)
            .OrderByDescending(s => hostOf.Values.Count(h => h.Equals(s.SiloAddress)))
            .First();
        var lost = members.Where(m => hostOf[m].Equals(victim.SiloAddress)).ToHashSet();
        Assert.NotEmpty(lost);
        await fixture.Cluster.KillSiloAsync(victim);
        await fixture.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        // Peers that lived there come back empty: no longer members. Steps prune them and repair.
        var report = await ring.StabilizeAsync(80, fingersToo: false);
        var survivors = await ring.MembersAsync();
        Assert.Equal(members.Where(m => !lost.Contains(m)).Order(), survivors.Order());
        Assert.True(report.RingCorrect, report.ToString());

        var space = IdSpace.Sha1;
        var expected = keys.Where(k => holders[space.Hash(k)].Any(survivors.Contains)).ToList();
        Assert.NotEmpty(expected);
        foreach (var key in expected)
        {
            foreach (var from in new[] { survivors[0], survivors[^1] })
            {
                var got = await ring.Peer(from).GetAsync(key);
                Assert.Equal(key.ToUpperInvariant(), got.Value);
            }
        }
    }
}
