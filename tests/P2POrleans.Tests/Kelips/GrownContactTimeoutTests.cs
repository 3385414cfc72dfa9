using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// The contact timeout grows with k and c (docs/kelips.md, "Timeouts"): with many groups a peer's
/// c(k-1) contacts are refreshed rarely, and a fixed 80-round timeout dropped live ones, so calm
/// lookups went through a group mate (2 hops) — the 10,000-peer bench's 1.11 hops (docs/bench.md).
/// Here k = 50 groups of 6 peers, calm, for 250 rounds (past both timeouts). Seeded: exact counts.
/// </summary>
public sealed class GrownContactTimeoutTests(ITestOutputHelper output)
{
    private const int N = 300;
    private const int K = 50;

    [Fact]
    public void The_timeout_is_the_rounds_a_peer_takes_to_gossip_once_to_each_contact_and_at_least_80()
    {
        // c(k-1) contacts, fanout x p = 0.6 contact slots per round.
        Assert.Equal(80, KelipsOptions.GrownContactTimeout(17));
        Assert.Equal(80, KelipsOptions.GrownContactTimeout(25));
        Assert.Equal(84, KelipsOptions.GrownContactTimeout(26));
        Assert.Equal(164, KelipsOptions.GrownContactTimeout(K));
        Assert.Equal(330, KelipsOptions.GrownContactTimeout(100));
        Assert.Equal(1_307, KelipsOptions.GrownContactTimeout(50, contactsPerGroup: 16));
        Assert.Equal(330, KelipsOptions.ForExpectedPeers(10_000).ContactTimeoutRounds);
        Assert.Equal(330, new KelipsParameters { ExpectedPeers = 10_000 }.ToOptions().ContactTimeoutRounds);
        Assert.Equal(80, new KelipsParameters { ExpectedPeers = 500 }.ToOptions().ContactTimeoutRounds);
        Assert.Equal(40, new KelipsParameters { ExpectedPeers = 10_000, ContactTimeoutRounds = 40 }.ToOptions().ContactTimeoutRounds);
    }

    [Fact]
    public void With_fifty_groups_no_live_contact_times_out_and_calm_lookups_stay_one_hop()
    {
        var fixedEighty = Run(80);
        var grown = Run(KelipsOptions.GrownContactTimeout(K));

        // 80 rounds: live contacts expire before a refresh reaches them; some (peer, group) pairs
        // are left with no contact and their lookups take a group mate's contact (2 hops).
        Assert.Equal((100, 10, 0), (fixedEighty.PairsWithoutContact, fixedEighty.ViaMate, fixedEighty.Failed));

        // 164 rounds: one pair of the 14,700 without a contact, every lookup local or one hop.
        Assert.Equal((1, 0, 0), (grown.PairsWithoutContact, grown.ViaMate, grown.Failed));
    }

    private (int PairsWithoutContact, int ViaMate, int Failed) Run(long contactTimeout)
    {
        var options = KelipsOptions.ForExpectedPeers(N) with { GroupCount = K, ContactTimeoutRounds = contactTimeout, ForgetRemovedAfterRounds = Math.Max(200, 2 * contactTimeout) };
        var sim = new KelipsSimulation(N, options, 3);
        Assert.InRange(sim.StepUntil(sim.ViewsComplete, 100), 0, 100);
        var files = Enumerable.Range(0, 100).Select(f => $"calm-{f}.txt").ToList();
        foreach (var file in files)
        {
            sim.Insert(sim.RandomLivePeer(), file);
        }

        while (sim.Round < 250)
        {
            sim.Step();
        }

        var live = sim.Live.ToList();
        Assert.Equal(N, live.Count);
        Assert.All(live, p => Assert.NotEqual(0, p.View.Count));
        var pairs = live.Sum(p => Enumerable.Range(0, K).Count(g => g != p.Group && p.Contacts.InGroup(g).Count == 0 && live.Any(q => q.Group == g)));
        var random = new Random(5);
        int viaMate = 0, failed = 0;
        for (var i = 0; i < 1000; i++)
        {
            var walk = sim.Walk(sim.RandomLivePeer(), files[random.Next(files.Count)]);
            failed += walk.Answer is null ? 1 : 0;
            viaMate += walk.PathLength == 2 ? 1 : 0;
        }

        output.WriteLine($"contact timeout {contactTimeout}: {pairs} pairs without a contact, {viaMate} of 1,000 lookups through a group mate, {failed} failed");
        return (pairs, viaMate, failed);
    }
}
