using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

[Collection(KelipsKillableCluster.Name)]
public sealed class KelipsSiloFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_degrades_lookups_then_gossip_heals_views_contacts_and_one_hop_lookups()
    {
        var client = fixture.Client;
        var overlay = await KelipsHarness.CreateAsync(client, "kelips-silo-kill",
            new KelipsParameters { ExpectedPeers = 48, MemberTimeoutRounds = 12, ContactTimeoutRounds = 24, Seed = 21 });
        await overlay.Control.JoinHostsAsync(48);
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
        // Gossip carries each entry's age, so no copy of a dead peer outlives its last heartbeat by
        // more than the contact timeout and a round (CrashHealingTests; docs/kelips.md, "Entry ages"):
        // 24-25 rounds measured here, 46-102 before entries carried their age. The limit is twice the
        // contact timeout: a receiver not yet stepped into the round merges a round older (only
        // safer), a rejoin's snapshot applied a round later makes a copy a round younger per such hop,
        // and a gossip call timing out under load drops a live peer for a few rounds; none of this
        // comes near a second timeout.
        await overlay.Registry.StepAsync(1);
        var limit = 2 * overlay.Parameters.ContactTimeoutRounds;
        var (report, rounds) = await overlay.StepUntilAsync(r => KelipsHarness.Converged(r) && r.DeadContacts == 0, limit);
        TestContext.Current.TestOutputHelper?.WriteLine($"healed after {rounds + 1} rounds");
        var now = await overlay.MembersAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"lost {lost.Count}, survivors {survivors.Count}, members now {now.Count}, lost still members {now.Count(lost.Contains)}, survivors dropped {survivors.Count(s => !now.Contains(s))}");
        Assert.Equal(survivors.Order(), now.Order());
        Assert.True(KelipsHarness.Converged(report), report.ToString());
        Assert.Equal(0, report.DeadContacts);

        // Random placement can put every member of a small affinity group on the victim (this seed's
        // groups have 4 to 11 members; about 1 run in 24). Only the file's group holds a filetuple
        // (section 2) and the home node, the uploader, sits in another group with no contact left
        // there, so the files of that group are indexed nowhere: no lookup can find them until a
        // peer joins the group. The check counts them apart (its per-peer coverage cannot see them);
        // their lookups must fail without reaching anybody of the group, every other one in one hop.
        var populated = survivors.Select(groups.Of).ToHashSet();
        var unindexed = files.Select(f => f.Key).Where(f => !populated.Contains(groups.OfFile(f))).ToHashSet(StringComparer.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"{unindexed.Count} of {files.Count} files in a group left with no member");
        Assert.Equal(unindexed.Count, report.UnindexedFiles);
        Assert.True(unindexed.Count < files.Count, "every surviving file lost its whole group");
        var failures = new List<string>();
        foreach (var from in survivors.Take(10))
        {
            foreach (var (file, home) in files)
            {
                var r = await overlay.Peer(from).LookupAsync(file);
                if (unindexed.Contains(file))
                {
                    if (r.Lookup.Success || r.Lookup.Path.Skip(1).Any(h => groups.Of(h.Node) == groups.OfFile(file)))
                    {
                        failures.Add($"from {Short(overlay, from)} '{file}' of a group with no member: success {r.Lookup.Success}, path {string.Join(" > ", r.Lookup.Path.Select(h => $"{Short(overlay, h.Node)} {h.Reason}"))}");
                    }
                }
                else if (!r.Fetched || r.Lookup.Owner != home || r.Lookup.Hops > 1)
                {
                    failures.Add($"from {Short(overlay, from)} (group {groups.Of(from)}) '{file}' (home {Short(overlay, home)}): fetched {r.Fetched}, owner {Short(overlay, r.Lookup.Owner)}, hops {r.Lookup.Hops}, error: {r.Lookup.Error}"
                        + Environment.NewLine + await DiagnoseAsync(client, overlay, from, file, home, survivors, hostOf));
                }
            }
        }

        Assert.True(failures.Count == 0, $"after healing ({report}; {string.Join("; ", report.Groups)}):{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    private static string Short(KelipsHarness overlay, NodeId id) => overlay.Parameters.Space.Short(id);

    /// <summary>What the peers concerned by a failed lookup hold now, and on which silo they answer (diagnostics only).</summary>
    private static async Task<string> DiagnoseAsync(IClusterClient client, KelipsHarness overlay, NodeId from, string file, NodeId home, IReadOnlyList<NodeId> survivors, IReadOnlyDictionary<NodeId, Orleans.Runtime.SiloAddress> hostBefore)
    {
        var management = client.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        var group = overlay.Groups.OfFile(file);
        var lines = new List<string>();
        async Task DescribeAsync(NodeId id, string role)
        {
            string where;
            try
            {
                where = (await management.GetActivationAddress(overlay.Peer(id)))?.ToString() ?? "none";
            }
            catch (Exception e)
            {
                where = e.GetType().Name;
            }

            try
            {
                var s = await overlay.Peer(id).GetStateAsync();
                var tuple = s.FileTuples.FirstOrDefault(t => t.FileName == file);
                var contacts = s.Contacts.Where(c => c.Group == group).Select(c => $"{Short(overlay, c.Id)} hb {c.Heartbeat} refreshed {c.LastRefreshRound}");
                lines.Add($"  {role} {Short(overlay, id)} group {s.Group} round {s.Round}: answers on {s.Silo}, directory {where}, before the kill {hostBefore.GetValueOrDefault(id)}; "
                    + $"tuple {(tuple is null ? "none" : $"home {Short(overlay, tuple.HomeNode)} hb {tuple.Heartbeat}{(tuple.Deleted ? " deleted" : "")}")}; hosts it {s.HostedFiles.Contains(file)}; "
                    + $"view {s.View.Count}; contacts in group {group}: [{string.Join(", ", contacts)}]");
            }
            catch (Exception e)
            {
                lines.Add($"  {role} {Short(overlay, id)}: {e.GetType().Name} {e.Message}, directory {where}, before the kill {hostBefore.GetValueOrDefault(id)}");
            }
        }

        await DescribeAsync(from, "initiator");
        await DescribeAsync(home, "home");
        foreach (var m in survivors.Where(m => overlay.Groups.Of(m) == group))
        {
            await DescribeAsync(m, "group member");
        }

        var check = await overlay.Control.CheckAsync();
        lines.Add($"  check now: {check}");
        lines.AddRange(check.Groups.Select(g => $"    {g}"));
        return string.Join(Environment.NewLine, lines);
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
