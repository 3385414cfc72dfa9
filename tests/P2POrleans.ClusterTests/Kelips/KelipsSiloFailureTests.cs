using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

[Collection(KelipsKillableCluster.Name)]
public sealed class KelipsSiloFailureTests(KelipsKillableClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_degrades_lookups_then_gossip_heals_views_contacts_and_one_hop_lookups()
    {
        var client = fixture.Client;
        var overlay = await KelipsHarness.CreateAsync(client, "kelips-silo-kill",
            new KelipsParameters { ExpectedPeers = 48, MemberTimeoutRounds = 12, ContactTimeoutRounds = 24, Seed = 21 });
        await overlay.Control.JoinPeersAsync(48);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        await overlay.InsertAsync(24, seed: 4);
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 60)).Report));

        // Kill a silo that hosts neither the registry nor the primary (bookkeeping, not protocol).
        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var onVictim = SiloKill.PeersOn(hostOf, victim);
        Assert.NotEmpty(onVictim);
        await SiloKill.KillAsync(fixture.Cluster, victim);

        // The peers that died are those that no longer answer as members (reactivated empty on a
        // live silo). Every one of them was on the victim; asked this way rather than taken from the
        // placement snapshot, which once listed a peer on the victim that answered as a live member
        // after the kill (seen in about one run in five, Kelips only).
        var lost = new HashSet<NodeId>();
        foreach (var m in members)
        {
            if (!await IsLiveMemberAsync(overlay, m))
            {
                lost.Add(m);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{onVictim.Count} peers placed on the victim, {lost.Count} died");
        Assert.NotEmpty(lost);
        Assert.Subset(onVictim, lost);

        var survivors = members.Where(m => !lost.Contains(m)).ToList();
        var files = overlay.Homes.Where(h => !lost.Contains(h.Value)).ToList();
        Assert.NotEmpty(files);

        // Degraded: lookups meet dead contacts (extra hops) but still find the surviving files. How
        // many succeed depends on which peers the killed silo hosted (random placement): a lookup
        // whose initiator has no live contact left in the file's group relies on its group mates'
        // contacts and may fail (section 2.2). One with a live contact there, or from the file's own
        // group, must succeed: that is asserted exactly; the rest are counted.
        var groups = new AffinityGroups(overlay.Parameters.GroupCount);
        int guaranteed = 0, guaranteedFound = 0, found = 0, dead = 0;
        foreach (var from in survivors.Take(10))
        {
            foreach (var (file, home) in files)
            {
                var group = groups.OfFile(file);
                var sure = group == groups.Of(from) || (await overlay.Peer(from).ContactsForAsync(group)).Any(c => !lost.Contains(c));
                var r = await overlay.Peer(from).LookupAsync(file);
                var ok = r.Lookup.Success && r.Lookup.Owner == home && r.Fetched;
                found += ok ? 1 : 0;
                guaranteed += sure ? 1 : 0;
                guaranteedFound += sure && ok ? 1 : 0;
                dead += r.Lookup.DeadHopsSkipped;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"degraded: {found} of {files.Count * 10} found; {guaranteedFound} of {guaranteed} with a live contact in the file's group (or from it)");
        Assert.True(dead > 0, "lookups met peers of the killed silo");
        Assert.True(guaranteed >= files.Count * 10 / 2, $"only {guaranteed} of {files.Count * 10} lookups had a live contact in the file's group");
        Assert.Equal(guaranteed, guaranteedFound);

        // Heals: steps prune the dead members; views and contacts converge on the survivors. One
        // round first: the check reports only the peers that answer, so when the degraded lookups
        // already dropped every dead peer from the survivors' views and contacts it can read as
        // converged before any round has pruned the registry.
        // Up to 200 rounds (the death-record time): a peer that never held a dead contact learns it
        // from one that still does and keeps it a full contact timeout, so a dead contact can hop from
        // peer to peer for a while (docs/kelips.md, open points); 80 rounds were once not enough.
        await overlay.Registry.StepAsync(1);
        var (report, rounds) = await overlay.StepUntilAsync(r => KelipsHarness.Converged(r) && r.DeadContacts == 0, 200);
        TestContext.Current.TestOutputHelper?.WriteLine($"healed after {rounds + 1} rounds");
        var now = await overlay.MembersAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"lost {lost.Count}, survivors {survivors.Count}, members now {now.Count}, lost still members {now.Count(lost.Contains)}, survivors dropped {survivors.Count(s => !now.Contains(s))}");
        Assert.Equal(survivors.Order(), now.Order());
        Assert.True(KelipsHarness.Converged(report), report.ToString());
        Assert.Equal(0, report.DeadContacts);
        foreach (var from in survivors.Take(10))
        {
            foreach (var (file, home) in files)
            {
                var r = await overlay.Peer(from).LookupAsync(file);
                Assert.True(r.Fetched, r.Lookup.Error);
                Assert.Equal(home, r.Lookup.Owner);
                Assert.True(r.Lookup.Hops <= 1);
            }
        }
    }

    private static async Task<bool> IsLiveMemberAsync(KelipsHarness overlay, NodeId peer)
    {
        try
        {
            return await overlay.Peer(peer).IsMemberAsync();
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return false;
        }
    }
}
