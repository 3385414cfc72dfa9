using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.Replication;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Death records of filetuples (Kelips section 2.1; docs/kelips.md, "Death records"): a tuple that
/// timed out comes back only as a tuple that supersedes it (the home alive with a later heartbeat,
/// a delete, an adoption), never as a mate's copy of what timed out.
/// </summary>
public sealed class FileTupleDeathRecordTests
{
    private const long Timeout = 10;
    private static readonly NodeId Home = NodeId.FromUInt64(7);

    [Fact]
    public void A_stale_copy_of_a_timed_out_tuple_is_refused()
    {
        var tuples = new FileTuples(0, new AffinityGroups(1));
        Assert.True(tuples.Merge(new FileTuple("a.dat", Home, 5), 0));
        Assert.Equal(["a.dat"], tuples.Expire(Timeout + 1, Timeout));

        // A mate whose copy is as old (or older) offers it back: no news, not taken.
        Assert.False(tuples.Merge(new FileTuple("a.dat", Home, 5), Timeout + 2));
        Assert.False(tuples.Merge(new FileTuple("a.dat", Home, 4), Timeout + 2));
        Assert.Null(tuples.Get("a.dat"));
        Assert.True(tuples.Remembers("a.dat"));
    }

    [Fact]
    public void A_higher_heartbeat_is_taken_and_ends_the_death_record()
    {
        var tuples = new FileTuples(0, new AffinityGroups(1));
        tuples.Merge(new FileTuple("a.dat", Home, 5), 0);
        tuples.Expire(Timeout + 1, Timeout);

        // The home is alive after all (its heartbeat grew): taken, refreshed now.
        Assert.True(tuples.Merge(new FileTuple("a.dat", Home, 6), Timeout + 3));
        Assert.Equal(Timeout + 3, tuples.Get("a.dat")!.LastRefreshRound);
        Assert.False(tuples.Remembers("a.dat"));
    }

    [Fact]
    public void A_tombstone_still_wins_and_once_it_times_out_stale_live_copies_stay_out()
    {
        var tuples = new FileTuples(0, new AffinityGroups(1));
        tuples.Merge(new FileTuple("a.dat", Home, 5), 0);
        tuples.Expire(Timeout + 1, Timeout);

        // The delete (heartbeat + 1) supersedes the tuple that timed out.
        Assert.True(tuples.Merge(new FileTuple("a.dat", Home, 6, Deleted: true), Timeout + 2));
        Assert.True(tuples.Get("a.dat")!.Tuple.Deleted);

        // The tombstone times out in turn: a live copy from before the delete does not resurrect the file...
        tuples.Expire((2 * Timeout) + 3, Timeout);
        Assert.False(tuples.Merge(new FileTuple("a.dat", Home, 6), (2 * Timeout) + 4));
        Assert.Null(tuples.Get("a.dat"));

        // ...a re-insert (higher heartbeat) does.
        Assert.True(tuples.Merge(new FileTuple("a.dat", Home, 7), (2 * Timeout) + 4));
    }

    [Fact]
    public void A_death_record_is_forgotten_after_twice_the_timeout()
    {
        var tuples = new FileTuples(0, new AffinityGroups(1));
        tuples.Merge(new FileTuple("a.dat", Home, 5), 0);
        tuples.Expire(Timeout + 1, Timeout);
        tuples.Expire((3 * Timeout) + 1, Timeout);
        Assert.True(tuples.Remembers("a.dat"));
        tuples.Expire((3 * Timeout) + 2, Timeout);
        Assert.False(tuples.Remembers("a.dat"));
        Assert.True(tuples.Merge(new FileTuple("a.dat", Home, 5), (3 * Timeout) + 2));
    }

    [Fact]
    public void A_backup_holders_adoption_spreads_to_members_that_timed_the_dead_home_out()
    {
        // Group of one (k = 1): home, adopter and a member; the home crashes after pushing its backup.
        var options = new KelipsOptions { GroupCount = 1, FileTupleTimeoutRounds = Timeout };
        var home = new KelipsSoftState(NodeId.FromUInt64(9), options, (_, _) => 1, new Random(1));
        var adopter = new KelipsSoftState(NodeId.FromUInt64(2), options, (_, _) => 1, new Random(2));
        var member = new KelipsSoftState(NodeId.FromUInt64(3), options, (_, _) => 1, new Random(3));
        home.Insert("a.dat", 0);
        for (var r = 1; r <= 4; r++)
        {
            home.Tick(r);
        }

        var last = home.HostedFiles.Single();
        member.FileTuples.Merge(last, 4);
        adopter.FileTuples.Merge(last, 4);
        var held = new HeldBackup(new BackupCopy("a.dat", "x", last.Heartbeat, [home.Self, adopter.Self]), 4);

        // The member times the tuple out; a mate's copy of it is refused from then on.
        member.Tick(4 + Timeout + 1);
        Assert.Null(member.AnswerLookup("a.dat"));
        member.Receive(new GossipMessage(adopter.Self, 4 + Timeout + 1, [], [], [last]), 4 + Timeout + 1);
        Assert.Null(member.AnswerLookup("a.dat"));

        // The holder adopts (KelipsBackups: above every heartbeat the dead home reached): taken.
        var round = 4 + Timeout + 2;
        adopter.Insert("a.dat", round, KelipsBackups.AdoptionHeartbeat(held, round));
        member.Receive(new GossipMessage(adopter.Self, round, [], [], [adopter.HostedFiles.Single()]), round);
        Assert.Equal(adopter.Self, member.AnswerLookup("a.dat")?.HomeNode);
    }

    [Fact]
    public void A_file_deleted_long_ago_and_inserted_again_by_its_home_is_taken_by_members_that_remember_the_delete()
    {
        var options = new KelipsOptions { GroupCount = 1, FileTupleTimeoutRounds = Timeout };
        var home = new KelipsSoftState(NodeId.FromUInt64(9), options, (_, _) => 1, new Random(1));
        var member = new KelipsSoftState(NodeId.FromUInt64(3), options, (_, _) => 1, new Random(3));
        home.Insert("a.dat", 0);
        home.Delete("a.dat", 1);
        member.FileTuples.Merge(home.HostedFiles.Single(), 1);
        for (var r = 2; r <= 2 * Timeout; r++)
        {
            home.Tick(r);
            member.Tick(r);
        }

        // The member timed the tombstone out and remembers it; the home still knows its heartbeat.
        Assert.True(member.FileTuples.Remembers("a.dat"));
        home.Insert("a.dat", 2 * Timeout);
        var again = home.HostedFiles.Single();
        member.Receive(new GossipMessage(home.Self, 2 * Timeout, [], [], [again]), 2 * Timeout);
        Assert.Equal(home.Self, member.AnswerLookup("a.dat")?.HomeNode);
    }

    [Fact]
    public void A_restored_peer_keeps_the_ages_its_filetuples_had_when_its_record_was_written()
    {
        var parameters = new KelipsParameters { ExpectedPeers = 1, Bits = 32, Durable = true, Seed = 3 };
        var node = new KelipsNode(parameters, NodeId.FromUInt64(1), "host-1", 0);
        node.State.FileTuples.Merge(new FileTuple("a.dat", Home, 5), 2);
        node.Round = 5;
        var record = node.ToRecord();
        Assert.Equal([3L], record.FileTupleAges);

        // Away 30 rounds: the age is that at the write (3), not 0 (a dead home's tuple would get a whole timeout more).
        var restored = KelipsNode.FromRecord(node.Self, record);
        restored.Round = 35;
        restored.State.Resume(30, 35);
        Assert.Equal(32, restored.State.FileTuples.Get("a.dat")!.LastRefreshRound);

        // A record written before the ages were kept: its tuples count as refreshed at the write.
        record.FileTupleAges = [];
        var old = KelipsNode.FromRecord(node.Self, record);
        old.State.Resume(30, 35);
        Assert.Equal(35, old.State.FileTuples.Get("a.dat")!.LastRefreshRound);
    }

    public static Arbitrary<(FileTuple Dead, FileTuple Incoming)> Pairs()
    {
        var tuple = from heartbeat in Gen.Choose(1, 6)
                    from home in Gen.Choose(1, 3)
                    from deleted in ArbMap.Default.GeneratorFor<bool>()
                    select new FileTuple("a.dat", NodeId.FromUInt64((ulong)home), heartbeat, deleted);
        return (from dead in tuple from incoming in tuple select (dead, incoming)).ToArbitrary();
    }

    /// <summary>The rule is the merge order itself: after a timeout, taken exactly when it would have superseded the tuple that timed out.</summary>
    [Property(Arbitrary = [typeof(FileTupleDeathRecordTests)], MaxTest = 500)]
    public bool After_a_timeout_a_tuple_is_taken_exactly_when_it_supersedes_the_one_that_timed_out((FileTuple Dead, FileTuple Incoming) p)
    {
        var tuples = new FileTuples(0, new AffinityGroups(1));
        tuples.Merge(p.Dead, 0);
        tuples.Expire(Timeout + 1, Timeout);
        return tuples.Merge(p.Incoming, Timeout + 2) == KelipsMerge.Supersedes(p.Incoming, p.Dead);
    }
}
