using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>Soft state (Kelips section 2.1): an entry lives while its heartbeat keeps growing.</summary>
public sealed class SoftStateTimeoutTests
{
    private static readonly AffinityGroups OneGroup = new(1);
    private static readonly NodeId Self = NodeId.FromUInt64(1000);
    private static readonly NodeId Other = NodeId.FromUInt64(7);

    public static Arbitrary<(int Timeout, int Start, int RefreshAfter)> Schedules() =>
        (from timeout in Gen.Choose(1, 60)
         from start in Gen.Choose(0, 100)
         from refresh in Gen.Choose(1, 60)
         select (timeout, start, refresh)).ToArbitrary();

    [Property(Arbitrary = [typeof(SoftStateTimeoutTests)], MaxTest = 200)]
    public bool A_member_is_dropped_exactly_after_the_timeout_unless_its_heartbeat_grew((int Timeout, int Start, int RefreshAfter) p)
    {
        var view = new AffinityGroupView(Self, OneGroup, (_, _) => 1.0);
        view.Merge(new MemberEntry(Other, 3), p.Start);

        // Re-gossiping the same heartbeat is not a refresh.
        view.Merge(new MemberEntry(Other, 3), p.Start + p.Timeout);
        view.Expire(p.Start + p.Timeout, p.Timeout);
        var keptAtTimeout = view.Contains(Other);
        view.Expire(p.Start + p.Timeout + 1, p.Timeout);
        var droppedAfter = !view.Contains(Other);

        var refreshed = new AffinityGroupView(Self, OneGroup, (_, _) => 1.0);
        refreshed.Merge(new MemberEntry(Other, 3), p.Start);
        var refreshRound = p.Start + Math.Min(p.RefreshAfter, p.Timeout);
        refreshed.Merge(new MemberEntry(Other, 4), refreshRound);
        refreshed.Expire(refreshRound + p.Timeout, p.Timeout);

        // The peer itself never expires.
        return keptAtTimeout && droppedAfter && refreshed.Contains(Other) && view.Contains(Self) && refreshed.Contains(Self);
    }

    [Property(Arbitrary = [typeof(SoftStateTimeoutTests)], MaxTest = 200)]
    public bool Filetuples_and_contacts_follow_the_same_timeout((int Timeout, int Start, int RefreshAfter) p)
    {
        var tuples = new FileTuples(0, OneGroup);
        tuples.Merge(new FileTuple("stale", Other, 1), p.Start);
        tuples.Merge(new FileTuple("fresh", Other, 1), p.Start);
        tuples.Merge(new FileTuple("fresh", Other, 2), p.Start + p.Timeout);
        tuples.Expire(p.Start + p.Timeout + 1, p.Timeout);

        var groups = new AffinityGroups(2);
        var self = NodeId.FromUInt64(0);
        var contacts = new Contacts(self, groups, 2, (_, _) => 1.0);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(1), 1), p.Start);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(3), 1), p.Start);
        contacts.Offer(new MemberEntry(NodeId.FromUInt64(3), 2), p.Start + p.Timeout);
        contacts.Expire(p.Start + p.Timeout + 1, p.Timeout);

        return tuples.Get("stale") is null && tuples.Get("fresh") is not null
            && !contacts.Contains(NodeId.FromUInt64(1)) && contacts.Contains(NodeId.FromUInt64(3));
    }

    [Fact]
    public void A_peer_ticking_alone_drops_everyone_it_stops_hearing_from()
    {
        var options = new KelipsOptions { GroupCount = 1, MemberTimeoutRounds = 5, FileTupleTimeoutRounds = 8 };
        var peer = new KelipsSoftState(Self, options, (_, _) => 1.0, new Random(1));
        peer.Receive(new GossipMessage(Other, 0, [new MemberEntry(Other, 1)], [], [new FileTuple("f", Other, 1)]), 0);
        peer.Insert("mine", 0);
        for (var round = 1; round <= 5; round++)
        {
            peer.Tick(round);
        }

        Assert.True(peer.View.Contains(Other));
        peer.Tick(6);
        Assert.False(peer.View.Contains(Other));
        for (var round = 7; round <= 9; round++)
        {
            peer.Tick(round);
        }

        // Its own hosted file is refreshed every round; the silent peer's file is gone.
        Assert.Null(peer.FileTuples.Get("f"));
        Assert.NotNull(peer.AnswerLookup("mine"));
        Assert.Equal(10, peer.FileTuples.Get("mine")!.Tuple.Heartbeat);
        Assert.Equal(9, peer.View.OwnHeartbeat);
    }

    [Fact]
    public void A_contact_reported_unreachable_is_not_resurrected_by_its_group_mates_fresher_copies()
    {
        var groups = new AffinityGroups(2);
        var self = Enumerable.Range(1, 100).Select(i => NodeId.FromUInt64((ulong)i)).First(id => groups.Of(id) == 0);
        var contact = Enumerable.Range(1, 100).Select(i => NodeId.FromUInt64((ulong)i)).First(id => groups.Of(id) == 1);
        var contacts = new Contacts(self, groups, 2, (_, _) => 1.0);
        contacts.Offer(new MemberEntry(contact, 5), 10);

        // Reported dead at round 30: it may have beaten up to 5 + 20 times; copies up to 25 are stale.
        Assert.True(contacts.Remove(contact, 30));
        Assert.False(contacts.Offer(new MemberEntry(contact, 25), 31));
        Assert.True(contacts.Offer(new MemberEntry(contact, 26), 32));
    }

    [Fact]
    public void A_peer_reported_unreachable_is_not_resurrected_by_stale_gossip()
    {
        var view = new AffinityGroupView(Self, OneGroup, (_, _) => 1.0);
        view.Merge(new MemberEntry(Other, 10), 1);
        Assert.True(view.Remove(Other, 2));
        Assert.False(view.Merge(new MemberEntry(Other, 10), 3));
        Assert.False(view.Contains(Other));

        // Our copy was refreshed at round 1; by round 2 it may have beaten once more (11), and its
        // group mates' fresher copies say so: still dead. Only a count beyond that is news.
        Assert.False(view.Merge(new MemberEntry(Other, 11), 3));
        Assert.True(view.Merge(new MemberEntry(Other, 12), 4));
        Assert.True(view.Contains(Other));
    }
}
