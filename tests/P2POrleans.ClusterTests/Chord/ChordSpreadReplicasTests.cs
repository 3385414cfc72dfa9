using Orleans.Runtime;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

/// <summary>
/// Replica placement awareness in a volatile ring: the three copies of every key sit on
/// distinct silos where the successor list allows, so one silo crash leaves a copy of every key
/// at the peer that owns it after repair (argument in <see cref="ReplicaPlacement"/>).
/// </summary>
[Collection(ChordSpreadKillableCluster.Name)]
public sealed class ChordSpreadReplicasTests(ClusterFixture fixture)
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
        var keys = await SiloKill.PutKeysAsync(members, 300, async (m, key) => Assert.Equal(3, (await ring.Peer(m).PutAsync(key, Value(key))).StoredAt.Count));

        var hostOf = await SiloKill.HostsAsync(client, members, ring.Peer);
        var space = IdSpace.Sha1;
        var ideal = new IdealRing(space, members);

        // Before the crash: each key's copies span two silos or more wherever its owner's list reaches
        // another silo; count the keys that plain placement (owner + next two) would have left on one silo.
        var holders = await SiloKill.KeyHoldersAsync(members, m => ring.Peer(m).GetKeyIdsAsync());
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
        var victim = SiloKill.PickVictim(cluster, hostOf, spare: await ring.Registry.GetHostAsync());
        var lostPeers = SiloKill.PeersOn(hostOf, victim);
        var plainLost = keys.Count(k => ideal.ReplicaSet(space.Hash(k), 3).All(lostPeers.Contains));
        Assert.NotEmpty(lostPeers);
        await SiloKill.KillAsync(cluster, victim);

        // Volatile: the peers of the killed silo are gone; steps prune them and repair the ring.
        var report = await ring.StabilizeAsync(80, fingersToo: false);
        var survivors = await ring.MembersAsync();
        Assert.Equal(members.Where(m => !lostPeers.Contains(m)).Order(), survivors.Order());
        Assert.True(report.RingCorrect, report.ToString());

        var lost = await SiloKill.LostAsync(protectedKeys, [survivors[0], survivors[^1]], async (from, key) => (await ring.Peer(from).GetAsync(key)).Value == Value(key));
        Assert.Empty(lost);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{lostPeers.Count} peers killed; {protectedKeys.Count}/{keys.Count} keys had a second silo in reach, none lost; " +
            $"plain placement would have kept all 3 copies of {plainOnOneSilo} keys on one silo and lost {plainLost} in this crash");
    }

    private static string Value(string key) => "value of " + key;
}
