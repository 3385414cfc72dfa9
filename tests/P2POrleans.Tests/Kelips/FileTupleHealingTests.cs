using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// After the home nodes of some files crash, how long their filetuples survive at live members of
/// the files' groups (Kelips section 2.1: a filetuple times out when its heartbeat stops growing).
/// </summary>
public sealed class FileTupleHealingTests(ITestOutputHelper output)
{
    [Fact]
    public void Rounds_from_a_crash_of_a_quarter_of_the_peers_until_no_tuple_of_a_dead_home_remains()
    {
        const int n = 48;
        var options = KelipsOptions.ForExpectedPeers(n) with { MemberTimeoutRounds = 12, ContactTimeoutRounds = 24, FileTupleTimeoutRounds = 30 };
        var measured = new List<int>();
        for (var seed = 1; seed <= 10; seed++)
        {
            var sim = new KelipsSimulation(n, options, seed);
            Assert.InRange(sim.StepUntil(sim.ViewsComplete, 200), 0, 200);
            var f = 0;
            foreach (var home in sim.Live.ToList())
            {
                for (var i = 0; i < 2; i++)
                {
                    sim.Insert(home, $"file-{f++:D3}.dat");
                }
            }

            for (var i = 0; i < 20; i++)
            {
                sim.Step();
            }

            sim.Fail(0.25);
            var rounds = sim.StepUntil(() => DeadHomeTuples(sim) == 0, 2000);
            output.WriteLine($"seed {seed}: {sim.Dead.Count} of {n} crashed, no tuple of a dead home after {rounds} rounds ({DeadHomeTuples(sim)} left at {sim.Live.Count(p => DeadHomeTuples(sim, p) > 0)} peers)");
            measured.Add(rounds);
        }

        output.WriteLine($"min {measured.Min()}, max {measured.Max()}, mean {measured.Average():F1} rounds (filetuple timeout {options.FileTupleTimeoutRounds})");
    }

    private static int DeadHomeTuples(KelipsSimulation sim) => sim.Live.Sum(peer => DeadHomeTuples(sim, peer));

    private static int DeadHomeTuples(KelipsSimulation sim, KelipsPeer peer) =>
        peer.FileTuples.Entries.Count(e => !e.Tuple.Deleted && sim.Dead.Contains(e.Tuple.HomeNode));
}
