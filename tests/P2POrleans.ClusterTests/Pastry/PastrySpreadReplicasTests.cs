using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

/// <summary>
/// Replica placement awareness in a volatile Pastry overlay: the three copies of every key
/// sit on distinct silos where the root's leaf set allows, so one silo crash leaves a copy of every
/// key at the node that is its root after repair (argument in <see cref="PastryReplicas"/>).
/// </summary>
[Collection(PastrySpreadKillableCluster.Name)]
public sealed class PastrySpreadReplicasTests(ClusterFixture fixture)
{
    [Fact]
    public async Task With_replicas_spread_over_silos_a_silo_crash_loses_no_key_of_a_volatile_overlay()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var parameters = new PastryParameters { LeafSetSize = 16, Replicas = 3, SpreadReplicas = true, Seed = 13 };
        var overlay = await PastryHarness.CreateAsync(client, "pastry-spread", parameters);
        await overlay.Control.JoinHostsAsync(100);

        // KeysInPlace compares with the spread placement the root computes, using the silos the peers report.
        var converged = await overlay.RepairAsync(30);
        Assert.True(converged.StateCorrect && converged.KeysInPlace, converged.ToString());
        var members = await overlay.MembersAsync();
        var keys = await SiloKill.PutKeysAsync(members, 300, async (m, key) => Assert.Equal(3, (await overlay.Peer(m).PutAsync(key, Value(key))).StoredAt.Count));

        var afterPuts = await overlay.RepairAsync(30);
        Assert.True(afterPuts.KeysInPlace, afterPuts.ToString());

        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var space = parameters.Space;
        var live = new PastryIdIndex(members, parameters);
        var holders = await SiloKill.KeyHoldersAsync(members, m => overlay.Peer(m).GetKeyIdsAsync());

        // Before the crash: each key's copies span two silos or more wherever the root's leaf set
        // reaches another silo; count the keys plain placement (the 3 closest) would leave on one silo.
        var protectedKeys = new List<string>();
        var plainOnOneSilo = 0;
        foreach (var key in keys)
        {
            var keyId = space.Hash(key);
            var root = live.NumericallyClosest(keyId);
            plainOnOneSilo += PastryReplicas.IdealReplicaSet(live, keyId, 3).Select(p => hostOf[p]).Distinct().Count() == 1 ? 1 : 0;
            if (live.IdealSmaller(root).Concat(live.IdealLarger(root)).Any(l => !hostOf[l].Equals(hostOf[root])))
            {
                protectedKeys.Add(key);
                Assert.True(holders[keyId].Select(h => hostOf[h]).Distinct().Count() >= 2, key);
            }
        }

        // Kill the non-primary silo that does not host the registry (volatile: it is bookkeeping and dies).
        var victim = SiloKill.PickVictim(cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var lostPeers = SiloKill.PeersOn(hostOf, victim);
        var plainLost = keys.Count(k => PastryReplicas.IdealReplicaSet(live, space.Hash(k), 3).All(lostPeers.Contains));
        Assert.NotEmpty(lostPeers);
        await SiloKill.KillAsync(cluster, victim);

        // Volatile: the peers of the killed silo are gone; rounds prune them and repair the leaf sets.
        var report = await overlay.RepairAsync(30);
        var survivors = await overlay.MembersAsync();
        Assert.Equal(members.Where(m => !lostPeers.Contains(m)).Order(), survivors.Order());
        Assert.True(report.StateCorrect, report.ToString());

        var lost = await SiloKill.LostAsync(protectedKeys, [survivors[0], survivors[^1]], async (from, key) => (await overlay.Peer(from).GetAsync(key)).Value == Value(key));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{lostPeers.Count} peers killed; {protectedKeys.Count}/{keys.Count} keys had a second silo in reach, {lost.Count} lost; " +
            $"plain placement would have kept all 3 copies of {plainOnOneSilo} keys on one silo and lost {plainLost} in this crash");
        Assert.Empty(lost);
    }

    private static string Value(string key) => "value of " + key;
}
