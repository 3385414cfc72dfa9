using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

[Collection(KillableCluster.Name)]
public sealed class ChordSiloFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_leaves_initiator_picks_on_live_peers_a_correct_ring_and_every_key_with_a_surviving_copy()
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
        var holders = await SiloKill.KeyHoldersAsync(members, m => ring.Peer(m).GetKeyIdsAsync());

        // Kill a silo that does not host the registry (bookkeeping, not part of the protocol).
        var hostOf = await SiloKill.HostsAsync(client, members, ring.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await ring.Registry.GetHostAsync());
        var lost = SiloKill.PeersOn(hostOf, victim);
        Assert.NotEmpty(lost);
        await SiloKill.KillAsync(fixture.Cluster, victim);

        // TestCluster's liveness wait, kept from before: with the membership barrier alone one run of
        // the Kelips test found 106 of 120 files while degraded (108 needed); why is not yet known.
        await fixture.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        // Right after the kill the lost peers are still members (a stepped ring prunes them in its next
        // steps): the catalog's picks put a volatile member without activation after the live ones, so a
        // console's first try goes to a peer that answers (most members are live here). Then any call to a
        // lost peer activates it again, empty, on a live silo: such a peer says it is not a member and
        // comes after the live ones too.
        var catalog = client.GetGrain<IOverlayCatalogGrain>(0);
        Assert.Equal(members.Order(), (await ring.MembersAsync()).Order());
        foreach (var woken in new[] { false, true })
        {
            if (woken)
            {
                foreach (var id in lost)
                {
                    Assert.False(await ring.Peer(id).IsMemberAsync());
                }
            }

            for (var pick = 0; pick < 5; pick++)
            {
                var initiators = await catalog.PickInitiatorsAsync(ring.Overlay, 5, [], []);
                Assert.Equal(5, initiators.Count);
                Assert.DoesNotContain(initiators, lost.Contains);
            }
        }

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
