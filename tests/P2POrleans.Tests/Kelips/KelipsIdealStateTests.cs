using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>The converged build's state (docs/kelips.md, converged build): whole group views, c close contacts per foreign group.</summary>
public sealed class KelipsIdealStateTests
{
    private static List<NodeId> Ids(int n, int seed) =>
        [.. Enumerable.Range(0, n).Select(i => IdSpace.Sha1.Hash($"host-{seed}-{i}"))];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(200, 3)]
    [InlineData(3000, 4)]
    public void Every_member_gets_its_whole_group_and_c_distinct_contacts_in_every_other_group(int n, int seed)
    {
        var parameters = new KelipsParameters { ExpectedPeers = n, Seed = seed };
        var ids = Ids(n, seed);
        var ideal = new KelipsIdealState(ids, parameters);
        var groups = new AffinityGroups(parameters.GroupCount);
        var byGroup = ids.GroupBy(groups.Of).ToDictionary(g => g.Key, g => g.ToHashSet());
        Assert.Equal(n, ideal.Count);
        foreach (var id in ids.Take(300))
        {
            var state = ideal.StateOf(id, 5);
            var own = groups.Of(id);
            Assert.Equal(5, state.Round);
            Assert.Empty(state.FileTuples);
            Assert.Equal(byGroup[own].Where(m => m != id).Order(), state.GroupMembers.Select(m => m.Id).Order());
            foreach (var (group, members) in byGroup.Where(g => g.Key != own))
            {
                var contacts = state.Contacts.Where(c => groups.Of(c.Id) == group).Select(c => c.Id).ToList();
                Assert.Equal(Math.Min(parameters.Contacts, members.Count), contacts.Count);
                Assert.Equal(contacts.Count, contacts.Distinct().Count());
                Assert.All(contacts, c => Assert.Contains(c, members));
            }

            Assert.Equal(byGroup.Where(g => g.Key != own).Sum(g => Math.Min(parameters.Contacts, g.Value.Count)), state.Contacts.Length);
        }
    }

    [Fact]
    public void In_groups_no_larger_than_the_sample_the_contacts_are_the_lowest_rtt_members()
    {
        var parameters = new KelipsParameters { ExpectedPeers = 64, Seed = 9 };
        var ids = Ids(64, 9);
        var ideal = new KelipsIdealState(ids, parameters);
        var groups = new AffinityGroups(parameters.GroupCount);
        var network = new NetworkModel(parameters.Seed);
        Assert.All(ids.GroupBy(groups.Of), g => Assert.True(g.Count() <= KelipsIdealState.ProximitySample));
        foreach (var id in ids)
        {
            var contacts = ideal.StateOf(id, 0).Contacts.Select(c => c.Id).ToHashSet();
            var expected = ids.Where(m => groups.Of(m) != groups.Of(id))
                .GroupBy(groups.Of)
                .SelectMany(g => g.OrderBy(m => network.Rtt(id, m)).ThenBy(m => m).Take(parameters.Contacts));
            Assert.Equal(expected.ToHashSet(), contacts);
        }
    }

    [Fact]
    public void Installed_in_a_fresh_soft_state_it_gives_a_complete_view_and_contacts_everywhere_and_it_is_deterministic()
    {
        var parameters = new KelipsParameters { ExpectedPeers = 2000, Seed = 4 };
        var ids = Ids(2000, 4);
        var ideal = new KelipsIdealState(ids, parameters);
        var again = new KelipsIdealState(Enumerable.Reverse(ids), parameters);
        var groups = new AffinityGroups(parameters.GroupCount);
        var network = new NetworkModel(parameters.Seed);
        var used = new Dictionary<int, HashSet<NodeId>>();
        foreach (var id in ids.Take(200))
        {
            var snapshot = ideal.StateOf(id, 3);
            Assert.Equal(snapshot.GroupMembers, again.StateOf(id, 3).GroupMembers);
            Assert.Equal(snapshot.Contacts, again.StateOf(id, 3).Contacts);
            var state = new KelipsSoftState(id, parameters.ToOptions(), network.Rtt, new Random(1), 3);
            state.ApplyJoin(snapshot, 3);
            Assert.Equal(ids.Count(m => groups.Of(m) == groups.Of(id)), state.View.Count);
            Assert.Equal(parameters.GroupCount - 1, state.Contacts.Groups.Count());
            foreach (var contact in state.Contacts.All)
            {
                (used.TryGetValue(contact.Group, out var set) ? set : used[contact.Group] = []).Add(contact.Id);
            }
        }

        // Each member samples its own candidates: the contacts of a group spread over its members
        // instead of all pointing at the same c peers.
        Assert.True(used.Values.Average(s => s.Count) > 3 * parameters.Contacts, $"{used.Values.Average(s => s.Count):F1} distinct contacts per group");
    }
}
