using Orleans.Runtime;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

/// <summary>
/// Replica placement awareness in a volatile ring (issue 9): the three copies of every key sit on
/// distinct silos where the successor list allows, so one silo crash leaves a copy of every key
/// at the peer that owns it after repair (argument in <see cref="ReplicaPlacement"/>).
/// </summary>
[Collection(ChordSpreadKillableCluster.Name)]
public sealed class ChordSpreadReplicasTests(ChordSpreadKillableClusterFixture fixture)
{
    [Fact]
    public async Task With_replicas_spread_over_silos_a_silo_crash_loses_no_key_of_a_volatile_ring()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new ChordParameters { Bits = 160, Successors = 8, Replicas = 3, SpreadReplicas = true, Seed = 13 };
        var ring = await ChordHarness.CreateAsync(client, "spread", parameters);
        await ring.Control.JoinHostsAsync(100);

        // Converged includes "every key's copies at its placement-aware replica set" (check uses the peers' silos).
        Assert.True(ChordHarness.Converged(await ring.StabilizeAsync(60, fingersToo: false), fingersToo: false));
        var members = await ring.MembersAsync();
        var keys = Enumerable.Range(0, 300).Select(i => $"key-{i}").ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            var put = await ring.Peer(members[(i * 7) % members.Count]).PutAsync(keys[i], Value(keys[i]));
            Assert.Equal(3, put.StoredAt.Count);
        }

        var hostOf = await SiloKill.HostsAsync(client, members, ring.Peer);
        var space = IdSpace.Sha1;
        var ideal = new IdealRing(space, members);

        // Before the crash: each key's copies span two silos or more wherever its owner's list reaches
        // another silo; count the keys that plain placement (owner + next two) would have left on one silo.
        var holders = new Dictionary<NodeId, HashSet<NodeId>>();
        foreach (var m in members)
        {
            foreach (var k in await ring.Peer(m).GetKeyIdsAsync())
            {
                (holders.TryGetValue(k, out var set) ? set : holders[k] = []).Add(m);
            }
        }

        var protectedKeys = new List<string>();
        var plainOnOneSilo = 0;
        foreach (var key in keys)
        {
            var owner = ideal.Successor(space.Hash(key));
            var list = ideal.SuccessorList(owner, parameters.Successors);
            plainOnOneSilo += ideal.ReplicaSet(space.Hash(key), 3).Select(p => hostOf[p]).Distinct().Count() == 1 ? 1 : 0;
            if (list.Any(s => !hostOf[s].Equals(hostOf[owner])))
            {
                protectedKeys.Add(key);
                Assert.True(holders[space.Hash(key)].Select(h => hostOf[h]).Distinct().Count() >= 2, key);
            }
        }

        // Kill the non-primary silo that does not host the registry (volatile: it is bookkeeping and dies).
        var registryHost = await ring.Registry.GetHostAsync();
        var victim = cluster.GetActiveSilos().First(s => s != cluster.Primary && !s.SiloAddress.Equals(registryHost));
        var lostPeers = members.Where(m => hostOf[m].Equals(victim.SiloAddress)).ToHashSet();
        var plainLost = keys.Count(k => ideal.ReplicaSet(space.Hash(k), 3).All(lostPeers.Contains));
        Assert.NotEmpty(lostPeers);
        await cluster.KillSiloAsync(victim);
        await SiloKill.WaitForActiveSilosAsync(cluster, 2);

        // Volatile: the peers of the killed silo are gone; steps prune them and repair the ring.
        var report = await ring.StabilizeAsync(80, fingersToo: false);
        var survivors = await ring.MembersAsync();
        Assert.Equal(members.Where(m => !lostPeers.Contains(m)).Order(), survivors.Order());
        Assert.True(report.RingCorrect, report.ToString());

        var lost = new List<string>();
        foreach (var key in protectedKeys)
        {
            foreach (var from in new[] { survivors[0], survivors[^1] })
            {
                if ((await ring.Peer(from).GetAsync(key)).Value != Value(key))
                {
                    lost.Add(key);
                }
            }
        }

        Assert.Empty(lost);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{lostPeers.Count} peers killed; {protectedKeys.Count}/{keys.Count} keys had a second silo in reach, none lost; " +
            $"plain placement would have kept all 3 copies of {plainOnOneSilo} keys on one silo and lost {plainLost} in this crash");
    }

    private static string Value(string key) => "value of " + key;
}
