using P2POrleans.Client.Structured;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// The member timeout grows with the group size (docs/kelips.md, "Timeouts"): gossip is bounded, so
/// with ~100 peers per group (k = 100 at N = 10,000) a live mate's heartbeat reaches a peer far from
/// its mates less often than every 40 rounds, the fixed timeout dropped it, and the views of a
/// 10,000-peer overlay built by joins never were all complete at once (kelips-memory and
/// `p2p bench --kelips-build joined` at paper scale). Here 3 groups of 100 peers, calm: the same
/// group size at 300 peers. Seeded: exact counts.
/// </summary>
public sealed class GrownMemberTimeoutTests(ITestOutputHelper output)
{
    private const int N = 300;
    private const int K = 3;

    [Fact]
    public void The_timeout_is_thirty_relay_intervals_of_the_group_and_at_least_40()
    {
        // I = (g - 1) / ((8 - 1) x 3 x 0.8) rounds; 30 I.
        Assert.Equal(40, KelipsOptions.GrownMemberTimeout(1));
        Assert.Equal(40, KelipsOptions.GrownMemberTimeout(23));
        Assert.Equal(42, KelipsOptions.GrownMemberTimeout(24));
        Assert.Equal(56, KelipsOptions.GrownMemberTimeout(32));
        Assert.Equal(79, KelipsOptions.GrownMemberTimeout(45));
        Assert.Equal(177, KelipsOptions.GrownMemberTimeout(100));
        Assert.Equal(565, KelipsOptions.GrownMemberTimeout(317));
        Assert.Equal(177, new KelipsParameters { ExpectedPeers = 10_000 }.ToOptions().MemberTimeoutRounds);
        Assert.Equal(177, KelipsOptions.ForExpectedPeers(10_000).MemberTimeoutRounds);
        Assert.Equal(40, new KelipsParameters { ExpectedPeers = 500 }.ToOptions().MemberTimeoutRounds);
        Assert.Equal(20, new KelipsParameters { ExpectedPeers = 10_000, MemberTimeoutRounds = 20 }.ToOptions().MemberTimeoutRounds);

        // Death records outlast both timeouts (a dead peer's copies must not bring it back).
        Assert.Equal(660, new KelipsParameters { ExpectedPeers = 10_000 }.ToOptions().ForgetRemovedAfterRounds);
        Assert.Equal(660, KelipsOptions.ForExpectedPeers(10_000).ForgetRemovedAfterRounds);
    }

    [Fact]
    public void With_a_hundred_peers_per_group_every_view_stays_complete()
    {
        var grown = new KelipsParameters { ExpectedPeers = N, Groups = K }.ToOptions();
        Assert.Equal(177, grown.MemberTimeoutRounds);
        var fixedForty = Run(grown with { MemberTimeoutRounds = 40 });
        var automatic = Run(grown);

        // 40 rounds: live mates time out at peers far from them (gossip targets are weighted by
        // 1/RTT) and come back; at every check about 200 of the 29,700 (peer, mate) pairs are
        // missing, so the overlay is never converged.
        Assert.Equal((0, 1_010), fixedForty);

        // Grown: no live mate is dropped; every view complete at every check. (The last member
        // learnt by every mate was learnt between rounds 70 and 80: news too reaches far peers slowly.)
        Assert.Equal((5, 0), automatic);
    }

    [Fact]
    public void The_bench_refusal_names_view_completeness_and_entries_of_non_members()
    {
        var report = new KelipsCheckReport(10_000, 100, 300, 0.9925, 6_012, 3, 1.0, 8, 1_980_000, 1.0, 17_900, 2_700, 3, []);
        var message = KelipsAdapter.Unconverged(10_000, 300, report).Message;
        Assert.Contains("6012 of 10000 group views complete (99.25 % of the live group mates known)", message, StringComparison.Ordinal);
        Assert.Contains("3 view entries of peers that are not members", message, StringComparison.Ordinal);
        Assert.Contains("8 dead contacts", message, StringComparison.Ordinal);
    }

    // Checks every 10 rounds from round 80 (every member learnt by then, and past the fixed timeout) to 120.
    private (int ConvergedChecks, int MissingPairs) Run(KelipsOptions options)
    {
        var sim = new KelipsSimulation(N, options, 1);
        int converged = 0, missing = 0;
        while (sim.Round < 120)
        {
            sim.Step();
            if (sim.Round >= 80 && sim.Round % 10 == 0)
            {
                var live = sim.Live.ToList();
                var missingNow = live.Sum(p => live.Count(q => q.Group == p.Group && !p.View.Contains(q.Self)));
                converged += missingNow == 0 ? 1 : 0;
                missing += missingNow;
            }
        }

        output.WriteLine($"member timeout {options.MemberTimeoutRounds}: {converged} of 5 checks with every view complete, {missing} (peer, live mate) pairs missing in all");
        return (converged, missing);
    }
}
