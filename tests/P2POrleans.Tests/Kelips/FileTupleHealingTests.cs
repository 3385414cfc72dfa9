using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// After the home nodes of some files crash, how long their filetuples survive at live members of
/// the files' groups (Kelips section 2.1: a filetuple times out when its heartbeat stops growing).
/// Without death records a member that timed a tuple out took it back as fresh from a mate whose
/// copy was a little younger, and the dead homes' tuples circulated for ever (docs/kelips.md).
/// </summary>
public sealed class FileTupleHealingTests(ITestOutputHelper output)
{
    public static Arbitrary<(int Seed, int Peers, int Percent, int FilesPerPeer, int Timeout)> Crashes() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from peers in Gen.Choose(16, 48)
         from percent in Gen.Choose(5, 40)
         from files in Gen.Choose(1, 3)
         from timeout in Gen.Choose(20, 60)
         select (seed, peers, percent, files, timeout)).ToArbitrary();

    /// <summary>
    /// Bound: 2T + 1 rounds after the crash, T the filetuple timeout. Why: a member refreshes a dead
    /// home's tuple only when it takes a higher heartbeat than it holds (or than it timed out, the
    /// death record); the highest one the home reached spreads through its group within one refresh
    /// cycle, and T is sized to several cycles (the condition that live tuples do not time out), so
    /// every member's last refresh is within T of the crash and its copy is gone T + 1 later.
    /// </summary>
    [Property(Arbitrary = [typeof(FileTupleHealingTests)], MaxTest = 20)]
    public bool No_live_peer_holds_a_crashed_homes_tuple_more_than_twice_the_timeout_after_the_crash((int Seed, int Peers, int Percent, int FilesPerPeer, int Timeout) p)
    {
        var options = KelipsOptions.ForExpectedPeers(p.Peers) with { MemberTimeoutRounds = 12, ContactTimeoutRounds = 24, FileTupleTimeoutRounds = p.Timeout };
        var sim = Converged(p.Peers, options, p.Seed, p.FilesPerPeer);
        sim.Fail(p.Percent / 100.0);
        for (var i = 0; i < (2 * p.Timeout) + 1; i++)
        {
            sim.Step();
        }

        return DeadHomeTuples(sim) == 0;
    }

    [Fact]
    public void Rounds_from_a_crash_of_a_quarter_of_the_peers_until_no_tuple_of_a_dead_home_remains()
    {
        // 48 peers, 2 files each, T = 30; before filetuple death records: never (68-116 dead homes'
        // tuples still held at 26-33 live peers 2,000 rounds after the crash, seeds 1-10).
        const int n = 48;
        var options = KelipsOptions.ForExpectedPeers(n) with { MemberTimeoutRounds = 12, ContactTimeoutRounds = 24, FileTupleTimeoutRounds = 30 };
        var measured = new List<int>();
        for (var seed = 1; seed <= 10; seed++)
        {
            var sim = Converged(n, options, seed, 2);
            sim.Fail(0.25);
            var rounds = sim.StepUntil(() => DeadHomeTuples(sim) == 0, 2000);
            output.WriteLine($"seed {seed}: {sim.Dead.Count} of {n} crashed, no tuple of a dead home after {rounds} rounds ({DeadHomeTuples(sim)} left at {sim.Live.Count(p => DeadHomeTuples(sim, p) > 0)} peers)");
            measured.Add(rounds);

            // The live homes' files are untouched: every live member of a file's group holds its tuple.
            for (var i = 0; i < options.FileTupleTimeoutRounds; i++)
            {
                sim.Step();
            }

            Assert.All(sim.Live, peer => Assert.Equal(1.0, KelipsGroundTruth.FileTupleCoverage(peer, LiveHomesFiles(sim))));
        }

        output.WriteLine($"min {measured.Min()}, max {measured.Max()}, mean {measured.Average():F1} rounds (filetuple timeout {options.FileTupleTimeoutRounds})");
        Assert.All(measured, r => Assert.InRange(r, 0, (2 * (int)options.FileTupleTimeoutRounds) + 1));
    }

    /// <summary>Views complete, every peer home of <paramref name="filesPerPeer"/> files, every tuple held by every member of its group.</summary>
    private static KelipsSimulation Converged(int peers, KelipsOptions options, int seed, int filesPerPeer)
    {
        var sim = new KelipsSimulation(peers, options, seed);
        Assert.InRange(sim.StepUntil(sim.ViewsComplete, 200), 0, 200);
        var f = 0;
        foreach (var home in sim.Live.ToList())
        {
            for (var i = 0; i < filesPerPeer; i++)
            {
                sim.Insert(home, $"file-{f++:D3}.dat");
            }
        }

        var files = LiveHomesFiles(sim);
        Assert.InRange(sim.StepUntil(() => sim.Live.All(peer => KelipsGroundTruth.FileTupleCoverage(peer, files) == 1.0), 200), 0, 200);
        return sim;
    }

    private static string[] LiveHomesFiles(KelipsSimulation sim) => [.. sim.Live.SelectMany(p => p.HostedFiles).Where(t => !t.Deleted).Select(t => t.FileName)];

    private static int DeadHomeTuples(KelipsSimulation sim) => sim.Live.Sum(peer => DeadHomeTuples(sim, peer));

    private static int DeadHomeTuples(KelipsSimulation sim, KelipsSoftState peer) =>
        peer.FileTuples.Entries.Count(e => !e.Tuple.Deleted && sim.Dead.Contains(e.Tuple.HomeNode));
}
