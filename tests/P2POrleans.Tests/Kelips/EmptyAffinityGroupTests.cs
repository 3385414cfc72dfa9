using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Every member of one affinity group fails at once (a silo crash can take a small group whole):
/// only the file's group holds its filetuple (section 2), so the files of that group are indexed
/// nowhere although their home nodes, the uploaders in other groups, are alive. Views and contacts
/// heal and every live peer holds every filetuple of its own group, so the per-peer measures read
/// converged; only <see cref="KelipsGroundTruth.UnindexedFiles"/> sees the files no lookup finds.
/// A peer joining the group again gets the tuples from the home nodes' contact gossip.
/// </summary>
public sealed class EmptyAffinityGroupTests(ITestOutputHelper output)
{
    [Fact]
    public void Files_of_a_group_whose_members_all_failed_are_found_by_no_lookup_until_a_peer_joins_that_group()
    {
        const int n = 48;
        var options = KelipsOptions.ForExpectedPeers(n) with { MemberTimeoutRounds = 12, ContactTimeoutRounds = 24 };
        var sim = new KelipsSimulation(n, options, 21);
        Assert.InRange(sim.StepUntil(sim.ViewsComplete, 200), 0, 200);
        var groups = new AffinityGroups(options.GroupCount);

        // The smallest group dies; the file of that group is uploaded from another group.
        var byGroup = sim.Live.GroupBy(p => p.Group).OrderBy(g => g.Count()).ThenBy(g => g.Key).ToList();
        var doomed = byGroup[0].Key;
        var home = byGroup[1].First();
        var asker = byGroup[2].First();
        var file = Enumerable.Range(0, 1000).Select(i => $"orphan-{i}.dat").First(f => groups.OfFile(f) == doomed);
        sim.Insert(home, file);
        var members = byGroup[0].ToList();
        Assert.InRange(sim.StepUntil(() => members.All(p => p.AnswerLookup(file)?.HomeNode == home.Self), 100), 0, 100);
        Assert.Equal(home.Self, sim.Lookup(asker, file).Answer?.HomeNode);

        sim.Dead.UnionWith(members.Select(p => p.Self));
        output.WriteLine($"k = {options.GroupCount}: group {doomed} ({members.Count} members) failed; '{file}' hosted in group {home.Group}, asked from group {asker.Group}");
        bool Healed() => sim.ViewsComplete() && sim.Live.All(p => KelipsGroundTruth.StaleViewEntries(p, sim.LiveIds) == 0 && p.Contacts.All.All(c => !sim.Dead.Contains(c.Id)));
        var rounds = sim.StepUntil(Healed, 300);
        output.WriteLine($"views and contacts healed after {rounds} rounds");
        Assert.InRange(rounds, 0, 300);

        // What the cluster check measured: every live peer holds every live file of its own group...
        Assert.All(sim.Live, p => Assert.Equal(1.0, KelipsGroundTruth.FileTupleCoverage(p, [file])));
        Assert.True(home.Hosts(file));

        // ...yet nobody is left to ask: no contact in the group, and none at the group mates asked.
        var plan = asker.PlanLookup(file);
        Assert.Empty(plan.Contacts);
        Assert.NotEmpty(plan.FallbackMembers);
        Assert.All(plan.FallbackMembers, m => Assert.Empty(sim.Peers[m].ContactsFor(doomed)));
        Assert.Null(sim.Lookup(asker, file).Answer);
        Assert.Equal([file], KelipsGroundTruth.UnindexedFiles(groups, [file], sim.LiveIds));

        // A peer of that group joins: the home node's contact gossip re-publishes the tuple there.
        var newcomer = Enumerable.Range(0, 10_000).Select(i => IdSpace.Sha1.Hash($"10.9.{i / 256}.{i % 256}:4000/0")).First(id => groups.Of(id) == doomed);
        sim.Add(newcomer);
        Assert.Empty(KelipsGroundTruth.UnindexedFiles(groups, [file], sim.LiveIds));
        var found = sim.StepUntil(() => sim.Lookup(asker, file).Answer?.HomeNode == home.Self, 500);
        output.WriteLine($"found again {found} rounds after a peer joined the group");
        Assert.InRange(found, 0, 500);
    }
}
