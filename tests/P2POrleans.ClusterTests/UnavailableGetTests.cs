using P2POrleans.Chord;
using P2POrleans.ClusterTests.Chord;
using P2POrleans.ClusterTests.Pastry;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests;

/// <summary>
/// A durable get whose lookup routed around the key's real owner (its silo does not answer) and found
/// no copy at the live successor says "unavailable" (the client retries it), never "not found": the
/// owner comes back with the key (docs/cluster.md, "No single point of failure").
/// </summary>
[Collection(UnresponsiveSiloCluster.Name)]
public sealed class UnavailableGetTests(UnresponsiveSiloClusterFixture fixture)
{
    /// <summary>A bound on each get, so a regression fails instead of hanging (not a timing assertion).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_durable_get_that_passed_over_the_silent_owner_says_unavailable_and_finds_the_key_once_it_answers()
    {
        var client = fixture.Client;
        // One copy per key (the owner's): the live successor the lookup ends at holds none.
        var ring = await ChordHarness.CreateAsync(client, "hung-get", new ChordParameters { Successors = 8, Replicas = 1, Durable = true, Seed = 41 });
        await ring.Control.BuildConvergedAsync(45);
        var members = await ring.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, ring.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await ring.Registry.GetHostAsync());
        var frozen = SiloKill.PeersOn(hostOf, victim);
        var live = members.Where(m => !frozen.Contains(m)).ToList();
        var ideal = new IdealRing(IdSpace.Sha1, members);

        var keys = await SiloKill.PutKeysAsync(live, 40, async (from, key) => Assert.NotEmpty((await ring.Peer(from).PutAsync(key, "value-" + key)).StoredAt));
        var silentOwner = keys.Where(k => frozen.Contains(ideal.Successor(IdSpace.Sha1.Hash(k)))).Take(4).ToList();
        var liveOwner = keys.Where(k => !frozen.Contains(ideal.Successor(IdSpace.Sha1.Hash(k)))).Take(4).ToList();
        Assert.NotEmpty(silentOwner);
        Assert.NotEmpty(liveOwner);

        using (UnresponsiveSiloClusterFixture.Freeze(victim.SiloAddress))
        {
            for (var i = 0; i < silentOwner.Count; i++)
            {
                var get = await ring.Peer(live[(i * 7) % live.Count]).GetAsync(silentOwner[i]).WaitAsync(Bound);
                Assert.Null(get.Value);
                Assert.True(get.HoldersUnreachable > 0, $"'{silentOwner[i]}' (owner on the silent silo) answered as missing, not unavailable");
            }

            for (var i = 0; i < liveOwner.Count; i++)
            {
                var get = await ring.Peer(live[(i * 5) % live.Count]).GetAsync(liveOwner[i]).WaitAsync(Bound);
                Assert.Equal("value-" + liveOwner[i], get.Value);
            }

            // A key nobody stored, owned by a live peer, is missing: not found, not unavailable.
            var missing = Enumerable.Range(0, 100).Select(i => $"never-{i}").First(k => !frozen.Contains(ideal.Successor(IdSpace.Sha1.Hash(k))));
            var absent = await ring.Peer(live[0]).GetAsync(missing).WaitAsync(Bound);
            Assert.Null(absent.Value);
            Assert.Equal(0, absent.HoldersUnreachable);
        }

        // Answering again, the owner serves its keys: nothing was missing.
        foreach (var key in silentOwner)
        {
            Assert.Equal("value-" + key, (await ring.Peer(live[0]).GetAsync(key).WaitAsync(Bound)).Value);
        }

        await ring.Registry.DeleteAsync();
    }

    [Fact]
    public async Task A_durable_pastry_get_that_routed_around_the_silent_root_says_unavailable()
    {
        var client = fixture.Client;
        var parameters = new PastryParameters { Replicas = 1, Durable = true, Seed = 43 };
        var overlay = await PastryHarness.CreateAsync(client, "hung-pastry-get", parameters);
        await overlay.Control.BuildConvergedAsync(45);
        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var frozen = SiloKill.PeersOn(hostOf, victim);
        var live = members.Where(m => !frozen.Contains(m)).ToList();
        var index = new PastryIdIndex(members, parameters);

        var keys = await SiloKill.PutKeysAsync(live, 40, async (from, key) => Assert.NotEmpty((await overlay.Peer(from).PutAsync(key, "value-" + key)).StoredAt));
        var silentRoot = keys.Where(k => frozen.Contains(index.NumericallyClosest(parameters.Space.Hash(k)))).Take(4).ToList();
        Assert.NotEmpty(silentRoot);

        using (UnresponsiveSiloClusterFixture.Freeze(victim.SiloAddress))
        {
            for (var i = 0; i < silentRoot.Count; i++)
            {
                var get = await overlay.Peer(live[(i * 7) % live.Count]).GetAsync(silentRoot[i]).WaitAsync(Bound);
                Assert.Null(get.Value);
                Assert.True(get.HoldersUnreachable > 0, $"'{silentRoot[i]}' (root on the silent silo) answered as missing, not unavailable");
            }
        }

        foreach (var key in silentRoot)
        {
            Assert.Equal("value-" + key, (await overlay.Peer(live[0]).GetAsync(key).WaitAsync(Bound)).Value);
        }

        await overlay.Registry.DeleteAsync();
    }
}
