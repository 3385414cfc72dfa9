using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>Contacts prefer low RTT (Kelips section 2.1): each group keeps the c closest peers offered.</summary>
public sealed class ContactsTests
{
    private static readonly AffinityGroups TwoGroups = new(2);

    // Group 0 holds even ids, group 1 odd ids; RTT is a fixed scramble of the id, with ties.
    private static double Rtt(NodeId from, NodeId to) => (to.Low64 * 7919 % 50) + 1;

    public static Arbitrary<(int C, ulong[] Offers)> OfferSequences() =>
        (from c in Gen.Choose(1, 4)
         from offers in Gen.ArrayOf(Gen.Choose(1, 200).Select(i => (ulong)i))
         select (c, offers)).ToArbitrary();

    [Property(Arbitrary = [typeof(ContactsTests)], MaxTest = 300)]
    public bool Each_group_keeps_the_c_lowest_rtt_candidates_whatever_the_order((int C, ulong[] Offers) p)
    {
        var self = NodeId.FromUInt64(0);
        var contacts = new Contacts(self, TwoGroups, p.C, Rtt);
        foreach (var id in p.Offers)
        {
            contacts.Offer(new MemberEntry(NodeId.FromUInt64(id), 1), 1);
        }

        var expected = p.Offers
            .Select(NodeId.FromUInt64)
            .Where(id => TwoGroups.Of(id) == 1)
            .Distinct()
            .OrderBy(id => Rtt(self, id)).ThenBy(id => id)
            .Take(p.C)
            .ToList();
        var actual = contacts.InGroup(1).Select(c => c.Id).ToList();

        // Own-group peers are never contacts.
        return actual.SequenceEqual(expected) && contacts.InGroup(0).Count == 0 && contacts.Count == expected.Count;
    }

    [Fact]
    public void A_closer_candidate_replaces_the_worst_and_a_farther_one_is_refused()
    {
        var self = NodeId.FromUInt64(0);
        var rtt = new Dictionary<ulong, double> { [1] = 30, [3] = 10, [5] = 20, [7] = 40 };
        var contacts = new Contacts(self, TwoGroups, 2, (_, to) => rtt[to.Low64]);
        Assert.True(contacts.Offer(new MemberEntry(NodeId.FromUInt64(1), 1), 0));
        Assert.True(contacts.Offer(new MemberEntry(NodeId.FromUInt64(3), 1), 0));
        Assert.False(contacts.Offer(new MemberEntry(NodeId.FromUInt64(7), 1), 0));
        Assert.True(contacts.Offer(new MemberEntry(NodeId.FromUInt64(5), 1), 0));
        Assert.Equal([3UL, 5UL], contacts.InGroup(1).Select(c => c.Id.Low64));
    }

    [Fact]
    public void A_suspect_contact_gives_way_to_a_fresher_candidate_even_a_farther_one()
    {
        // Contacts 3 (RTT 10) and 5 (RTT 20), both refreshed at round 0; suspect after 4 silent rounds.
        var self = NodeId.FromUInt64(0);
        var rtt = new Dictionary<ulong, double> { [1] = 30, [3] = 10, [5] = 20, [7] = 40, [9] = 50 };
        var contacts = new Contacts(self, TwoGroups, 2, (_, to) => rtt[to.Low64]);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(3), 1), 0, suspectRounds: 4);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(5), 1), 0, suspectRounds: 4);

        // Round 4: nobody is suspect yet (silent for 4 rounds, not more): a farther peer is refused.
        Assert.False(contacts.Offer(new MemberEntry(NodeId.FromUInt64(7), 1), 4, suspectRounds: 4));

        // Round 5: 3 is refreshed (its heartbeat grew); 5 has been silent 5 rounds and is suspect. A
        // candidate last refreshed at round 0 is no fresher than 5 and is refused; one refreshed at
        // round 3 (age 2) replaces 5 although it is farther.
        Assert.True(contacts.Offer(new MemberEntry(NodeId.FromUInt64(3), 2), 5, suspectRounds: 4));
        Assert.False(contacts.Offer(new MemberEntry(NodeId.FromUInt64(9), 1, Age: 5), 5, suspectRounds: 4));
        Assert.True(contacts.Offer(new MemberEntry(NodeId.FromUInt64(7), 1, Age: 2), 5, suspectRounds: 4));
        Assert.Equal([3UL, 7UL], contacts.InGroup(1).Select(c => c.Id.Low64));

        // A closer candidate still replaces the worst, suspect or not (section 2.1: low RTT first).
        Assert.True(contacts.Offer(new MemberEntry(NodeId.FromUInt64(1), 1), 5, suspectRounds: 4));
        Assert.Equal([3UL, 1UL], contacts.InGroup(1).Select(c => c.Id.Low64));
    }

    [Fact]
    public void Without_a_suspect_time_the_contacts_stay_the_closest_however_stale()
    {
        var self = NodeId.FromUInt64(0);
        var rtt = new Dictionary<ulong, double> { [3] = 10, [5] = 20, [7] = 40 };
        var contacts = new Contacts(self, TwoGroups, 2, (_, to) => rtt[to.Low64]);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(3), 1), 0);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(5), 1), 0);
        Assert.False(contacts.Offer(new MemberEntry(NodeId.FromUInt64(7), 9), 70));
        Assert.Equal([3UL, 5UL], contacts.InGroup(1).Select(c => c.Id.Low64));
    }
}
