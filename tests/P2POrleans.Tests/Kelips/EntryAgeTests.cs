using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Gossip carries each entry's age (rounds since its sender saw the heartbeat grow), and a receiver
/// counts the entry as refreshed that long ago, so soft state (section 2.1) times out by the age of
/// the heartbeat, not by when a copy was last heard (docs/kelips.md, "Entry ages").
/// </summary>
public sealed class EntryAgeTests
{
    private static readonly AffinityGroups TwoGroups = new(2);
    private static readonly NodeId Self = NodeId.FromUInt64(0); // group 0
    private static readonly NodeId Dead = NodeId.FromUInt64(3); // group 1: a contact of Self
    private static readonly NodeId Mate = NodeId.FromUInt64(4); // group 0: a view member of Self

    public static Arbitrary<(int Timeout, int Start, int Age)> Offers() =>
        (from timeout in Gen.Choose(1, 60)
         from start in Gen.Choose(0, 100)
         from age in Gen.Choose(0, 60)
         where age <= timeout
         select (timeout, start, age)).ToArbitrary();

    [Property(Arbitrary = [typeof(EntryAgeTests)], MaxTest = 300)]
    public bool A_contact_first_heard_with_an_age_times_out_timeout_minus_age_rounds_later((int Timeout, int Start, int Age) p)
    {
        var contacts = new Contacts(Self, TwoGroups, 2, (_, _) => 1.0);
        var taken = contacts.Offer(new MemberEntry(Dead, 5, p.Age), p.Start, p.Timeout);

        // Re-offered by another holder with the same heartbeat: no refresh, whatever its age.
        contacts.Offer(new MemberEntry(Dead, 5, 0), p.Start + 1, p.Timeout);
        var until = p.Start + p.Timeout - p.Age;
        contacts.Expire(until, p.Timeout);
        var keptUntil = contacts.Contains(Dead);
        var dropped = contacts.Expire(until + 1, p.Timeout).Contains(Dead) && !contacts.Contains(Dead);
        return taken && keptUntil && dropped;
    }

    [Property(Arbitrary = [typeof(EntryAgeTests)], MaxTest = 300)]
    public bool A_view_member_first_heard_with_an_age_times_out_timeout_minus_age_rounds_later((int Timeout, int Start, int Age) p)
    {
        var view = new AffinityGroupView(Self, TwoGroups, (_, _) => 1.0);
        var taken = view.Merge(new MemberEntry(Mate, 5, p.Age), p.Start, p.Timeout);
        var until = p.Start + p.Timeout - p.Age;
        view.Expire(until, p.Timeout);
        var keptUntil = view.Contains(Mate);
        view.Expire(until + 1, p.Timeout);
        return taken && keptUntil && !view.Contains(Mate) && view.Contains(Self);
    }

    [Fact]
    public void An_entry_older_than_the_timeout_is_not_taken_and_evicts_no_live_contact()
    {
        var contacts = new Contacts(Self, TwoGroups, 1, (_, b) => b == Dead ? 1.0 : 9.0);
        var live = NodeId.FromUInt64(5); // group 1, farther than Dead
        Assert.True(contacts.Offer(new MemberEntry(live, 1), 10, 24));
        Assert.False(contacts.Offer(new MemberEntry(Dead, 7, 25), 10, 24));
        Assert.Equal([live], contacts.All.Select(c => c.Id));

        // At exactly the timeout it is still taken (it expires at the next round's tick).
        Assert.True(contacts.Offer(new MemberEntry(Dead, 7, 24), 10, 24));
        Assert.Equal(-14, contacts.InGroup(1)[0].LastRefreshRound);

        var view = new AffinityGroupView(Self, TwoGroups, (_, _) => 1.0);
        Assert.False(view.Merge(new MemberEntry(Mate, 7, 13), 10, 12));
        Assert.False(view.Contains(Mate));
    }

    [Fact]
    public void A_growing_heartbeat_refreshes_to_round_minus_age_and_never_back()
    {
        var contacts = new Contacts(Self, TwoGroups, 2, (_, _) => 1.0);
        contacts.Offer(new MemberEntry(Dead, 5, 0), 10, 24);
        Assert.True(contacts.Offer(new MemberEntry(Dead, 6, 3), 20, 24));
        Assert.Equal((6L, 17L), (contacts.InGroup(1)[0].Heartbeat, contacts.InGroup(1)[0].LastRefreshRound));

        // A higher heartbeat heard through a slower path is taken, the refresh round kept.
        Assert.True(contacts.Offer(new MemberEntry(Dead, 7, 9), 21, 24));
        Assert.Equal((7L, 17L), (contacts.InGroup(1)[0].Heartbeat, contacts.InGroup(1)[0].LastRefreshRound));

        var view = new AffinityGroupView(Self, TwoGroups, (_, _) => 1.0);
        view.Merge(new MemberEntry(Mate, 5, 0), 10, 12);
        Assert.True(view.Merge(new MemberEntry(Mate, 6, 4), 20, 12));
        Assert.True(view.TryGet(Mate, out var entry));
        Assert.Equal((6L, 16L), (entry.Heartbeat, entry.LastRefreshRound));
    }

    [Fact]
    public void Gossip_and_join_snapshots_carry_the_senders_ages_and_its_own_entry_at_age_0()
    {
        var options = new KelipsOptions { GroupCount = 2, ContactGossipProbability = 1.0 };
        var peer = new KelipsSoftState(Self, options, (_, _) => 1.0, new Random(1));
        peer.Learn(new MemberEntry(Dead, 5, 2), 10);  // contact, refreshed at 8
        peer.Learn(new MemberEntry(Mate, 9, 1), 10);  // mate, refreshed at 9
        var other = NodeId.FromUInt64(5);              // a second contact in group 1, the target
        peer.Learn(new MemberEntry(other, 1), 10);
        peer.Tick(13);

        // Every slot prefers a contact: the two contacts, then the mate.
        var message = peer.BuildGossip(13).Single(s => s.Target == other).Message;
        Assert.Equal(new MemberEntry(Self, peer.View.OwnHeartbeat, 0), message.Members[0]);
        Assert.Contains(new MemberEntry(Mate, 9, 4), message.Members);
        Assert.Contains(new MemberEntry(Dead, 5, 5), message.Contacts);

        var snapshot = peer.AcceptJoin(new MemberEntry(NodeId.FromUInt64(8), 0), 15);
        Assert.Contains(new MemberEntry(Self, peer.View.OwnHeartbeat, 0), snapshot.GroupMembers);
        Assert.Contains(new MemberEntry(Mate, 9, 6), snapshot.GroupMembers);
        Assert.Contains(new MemberEntry(Dead, 5, 7), snapshot.Contacts);
    }

    [Fact]
    public void A_restored_peer_keeps_the_ages_its_entries_had_when_its_record_was_written()
    {
        var parameters = new KelipsParameters { ExpectedPeers = 4, Bits = 32, Durable = true, Seed = 3 };
        var self = NodeId.FromUInt64(1);
        var node = new KelipsNode(parameters, self, "host-1", 0);
        var groups = node.State.Groups;
        var mate = Enumerable.Range(2, 100).Select(i => NodeId.FromUInt64((ulong)i)).First(id => groups.Of(id) == node.State.Group);
        var contact = Enumerable.Range(2, 100).Select(i => NodeId.FromUInt64((ulong)i)).First(id => groups.Of(id) != node.State.Group);
        node.State.Learn(new MemberEntry(mate, 4, 1), 0);
        node.State.Learn(new MemberEntry(contact, 4, 2), 0);
        node.Round = 5;
        var record = node.ToRecord();
        Assert.Contains(new MemberEntry(mate, 4, 6), record.View);
        Assert.Contains(new MemberEntry(contact, 4, 7), record.Contacts);

        // Away 30 rounds: the ages are those at the write, not 0 (fresh news) nor 36 (expired).
        var restored = KelipsNode.FromRecord(self, record);
        restored.Round = 35;
        restored.State.Resume(30, 35);
        Assert.True(restored.State.View.TryGet(mate, out var m));
        Assert.Equal(29, m.LastRefreshRound);
        Assert.Equal(28, restored.State.Contacts.InGroup(groups.Of(contact))[0].LastRefreshRound);
    }
}
