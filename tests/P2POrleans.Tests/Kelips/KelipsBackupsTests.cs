using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.Replication;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Backup copies of Kelips files: who holds them (group mates by XOR distance to the file,
/// spread over silos), who adopts a file when its home dies, and that the adopted tuple wins.
/// </summary>
public sealed class KelipsBackupsTests
{
    /// <summary>A home, its group mates with their silos (0..silos-1), the home's silo and k.</summary>
    public sealed record Group(ulong[] Mates, int[] MateSilos, int HomeSilo, int Copies, string File)
    {
        public NodeId Home => NodeId.FromUInt64(1);

        public IReadOnlyList<NodeId> Ids => [.. Mates.Select(NodeId.FromUInt64)];

        public string SiloOf(NodeId id) => "silo" + MateSilos[Array.IndexOf(Mates, id.Low64)];

        public override string ToString() => $"{Mates.Length} mates on [{string.Join(", ", MateSilos)}], home on {HomeSilo}, k = {Copies}, {File}";
    }

    /// <summary>A holder list (distinct peers, home first), which of them are still in the view, and a peer asking.</summary>
    public sealed record Failover(ulong[] Holders, bool[] InView, int Self);

    public static Arbitrary<Group> Groups() =>
        (from count in Gen.Choose(0, 12)
         from silos in Gen.Choose(1, 4)
         from mateSilos in Gen.ArrayOf(Gen.Choose(0, silos - 1), count)
         from homeSilo in Gen.Choose(0, silos - 1)
         from copies in Gen.Choose(1, 6)
         from file in Gen.Choose(0, 999)
         select new Group([.. Enumerable.Range(2, count).Select(i => (ulong)i * 7919)], mateSilos, homeSilo, copies, $"f{file}.dat")).ToArbitrary();

    public static Arbitrary<Failover> Failovers() =>
        (from count in Gen.Choose(1, 6)
         from inView in Gen.ArrayOf(Gen.Elements(true, false), count)
         from self in Gen.Choose(0, count + 1)
         select new Failover([.. Enumerable.Range(1, count).Select(i => (ulong)i)], inView, self)).ToArbitrary();

    [Property(Arbitrary = [typeof(KelipsBackupsTests)], MaxTest = 1000)]
    public bool A_holder_adopts_exactly_when_the_home_and_every_earlier_holder_are_gone(Failover f)
    {
        var holders = f.Holders.Select(NodeId.FromUInt64).ToArray();
        var self = NodeId.FromUInt64((ulong)f.Self + 1); // Self = Holders.Length + 1 is not listed
        var index = Array.IndexOf(holders, self);
        var copy = new BackupCopy("a.dat", "x", 5, holders);
        bool InView(NodeId id) => id == self || f.InView[Array.IndexOf(holders, id)];
        var expected = index > 0 && Enumerable.Range(0, index).All(i => !f.InView[i]);
        return KelipsBackups.ShouldAdopt(copy, self, InView) == expected;
    }

    [Property(Arbitrary = [typeof(KelipsBackupsTests)], MaxTest = 1000)]
    public bool At_most_one_holder_adopts_while_the_views_agree(Failover f)
    {
        var holders = f.Holders.Select(NodeId.FromUInt64).ToArray();
        var copy = new BackupCopy("a.dat", "x", 5, holders);
        var adopters = holders.Skip(1).Count(h => f.InView[Array.IndexOf(holders, h)] && KelipsBackups.ShouldAdopt(copy, h, id => f.InView[Array.IndexOf(holders, id)]));
        return adopters <= 1;
    }

    [Property(Arbitrary = [typeof(KelipsBackupsTests)], MaxTest = 1000)]
    public bool Plain_targets_are_the_k_minus_1_mates_nearest_the_file_whatever_the_view_order(Group g)
    {
        var candidates = KelipsBackups.Candidates(g.Home, [g.Home, .. g.Ids.Reverse()], g.File);
        var again = KelipsBackups.Candidates(g.Home, g.Ids, g.File);
        var key = IdSpace.Sha1.Hash(g.File);
        var targets = KelipsBackups.Targets("silo" + g.HomeSilo, candidates, g.SiloOf, g.Copies, spread: false);
        return candidates.SequenceEqual(again)
            && !candidates.Contains(g.Home)
            && targets.SequenceEqual(g.Ids.OrderBy(m => m.Xor(key)).Take(Math.Max(0, g.Copies - 1)));
    }

    [Property(Arbitrary = [typeof(KelipsBackupsTests)], MaxTest = 1000)]
    public bool Spread_targets_survive_any_one_silo_crash_when_the_group_spans_two_silos(Group g)
    {
        var homeSilo = "silo" + g.HomeSilo;
        var candidates = KelipsBackups.Candidates(g.Home, g.Ids, g.File);
        var targets = KelipsBackups.Targets(homeSilo, candidates, g.SiloOf, g.Copies, spread: true);
        var copySilos = targets.Select(g.SiloOf).Append(homeSilo).ToList();
        var groupSilos = g.MateSilos.Select(s => "silo" + s).Append(homeSilo).Distinct().Count();
        var survives = copySilos.Distinct().All(crashed => copySilos.Any(s => s != crashed));
        return targets.Distinct().Count() == targets.Count
            && targets.Count == Math.Min(g.Copies - 1, candidates.Count)
            && copySilos.Distinct().Count() == Math.Min(g.Copies, groupSilos)
            && (g.Copies < 2 || groupSilos < 2 || survives);
    }

    [Property(MaxTest = 300)]
    public bool The_adopted_tuple_beats_every_tuple_the_dead_home_published(PositiveInt sinceReceipt, NonNegativeInt lived, NonNegativeInt alreadyBumped)
    {
        // The home bumps its tuple once per round (section 2.1); it lived at most as many rounds
        // after the push as the holder has counted since receiving the copy.
        var pushedHeartbeat = 10L + alreadyBumped.Get;
        var homeLived = Math.Min(lived.Get, sinceReceipt.Get);
        var home = new KelipsSoftState(NodeId.FromUInt64(1), new KelipsOptions { GroupCount = 1 }, (_, _) => 1, new Random(1));
        home.Insert("a.dat", 0, pushedHeartbeat - 1);
        for (var r = 1; r <= homeLived; r++)
        {
            home.Tick(r);
        }

        var held = new HeldBackup(new BackupCopy("a.dat", "x", pushedHeartbeat, [home.Self, NodeId.FromUInt64(2)]), 100);
        var adopter = new KelipsSoftState(NodeId.FromUInt64(2), new KelipsOptions { GroupCount = 1 }, (_, _) => 1, new Random(2));
        adopter.Insert("a.dat", 100 + sinceReceipt.Get, KelipsBackups.AdoptionHeartbeat(held, 100 + sinceReceipt.Get));
        var adopted = adopter.HostedFiles.Single();
        var old = home.HostedFiles.Single();
        return old.Heartbeat == pushedHeartbeat + homeLived && KelipsMerge.Supersedes(adopted, old);
    }

    [Fact]
    public void A_home_pushes_only_when_holders_files_or_contents_change_and_drops_deleted_files()
    {
        var self = NodeId.FromUInt64(1);
        var mates = Enumerable.Range(2, 6).Select(i => NodeId.FromUInt64((ulong)i)).Append(self).ToList();
        var backups = new KelipsBackups(self, replicas: 3, spread: true);
        var file = (new FileTuple("a.dat", self, 4), "content");

        // No silo known: every mate counts as a silo of its own, so the nearest two are taken.
        var first = backups.Plan("s0", [file], mates, 9);
        var push = Assert.Single(first);
        Assert.Equal(2, push.Targets.Count);
        Assert.Equal([self, .. push.Targets], push.Copy.Holders);
        Assert.Equal(9, push.Copy.HomeHeartbeat);
        backups.MarkPushed("a.dat", push.Targets);
        Assert.Empty(backups.Plan("s0", [file], mates, 10));

        // The replies say the first target shares the home's silo: it is replaced and told to drop.
        backups.LearnSilo(push.Targets[0], "s0");
        backups.LearnSilo(push.Targets[1], "s1");
        var moved = Assert.Single(backups.Plan("s0", [file], mates, 11));
        Assert.DoesNotContain(push.Targets[0], moved.Targets);
        Assert.Equal([push.Targets[0]], moved.Dropped);
        backups.MarkPushed("a.dat", moved.Targets);

        // Inserted again with new content: the same holders get the new copy, once.
        backups.ContentChanged("a.dat");
        var refreshed = Assert.Single(backups.Plan("s0", [(file.Item1, "new content")], mates, 12));
        Assert.Equal(moved.Targets, refreshed.Targets);
        Assert.Equal("new content", refreshed.Copy.Content);
        Assert.Empty(refreshed.Dropped);
        backups.MarkPushed("a.dat", refreshed.Targets);
        Assert.Empty(backups.Plan("s0", [(file.Item1, "new content")], mates, 12));

        // Deleted: one drop for every holder, then nothing.
        var dropped = Assert.Single(backups.Plan("s0", [], mates, 12));
        Assert.Null(dropped.Copy.Content);
        Assert.Empty(dropped.Targets);
        Assert.Equal(moved.Targets.Order(), dropped.Dropped.Order());
        backups.MarkPushed("a.dat", []);
        Assert.Empty(backups.Plan("s0", [], mates, 13));

        // One copy (the paper): never a push.
        Assert.Empty(new KelipsBackups(self, 1, true).Plan("s0", [file], mates, 1));
    }

    [Fact]
    public void A_holder_stores_and_drops_only_the_copies_of_the_home_that_sent_them()
    {
        var holder = new KelipsBackups(NodeId.FromUInt64(5), 2, false);
        var copy = new BackupCopy("a.dat", "x", 3, [NodeId.FromUInt64(1), NodeId.FromUInt64(5)]);
        Assert.True(holder.Store(copy, 7));
        Assert.False(holder.Store(copy, 8));
        Assert.False(holder.Store(copy with { Content = null, Holders = [NodeId.FromUInt64(2)] }, 9));
        Assert.Equal(7, Assert.Single(holder.Held).ReceivedRound);
        Assert.True(holder.Store(copy with { Content = null }, 9));
        Assert.Empty(holder.Held);
    }
}
