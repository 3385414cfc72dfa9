using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Whole-network behaviour with the pure classes only: views converge, a new filetuple reaches its
/// group in O(log n) rounds, lookups take one hop, and survive 10% of the peers failing.
/// </summary>
public sealed class KelipsSimulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(64, 1, 6, 3)]
    [InlineData(256, 2, 11, 4)]
    public void Views_converge_and_a_new_filetuple_reaches_its_whole_group_in_logarithmic_rounds(int n, int seed, int viewRounds, int slowestTuple)
    {
        var sim = new KelipsSimulation(n, KelipsOptions.ForExpectedPeers(n), seed);
        var converge = sim.StepUntil(sim.ViewsComplete, 200);
        output.WriteLine($"n={n} k={sim.Options.GroupCount}: views complete after {converge} rounds");
        // Seeded, so exact: every view holds its whole group after 6 (n = 64) / 11 (n = 256) rounds.
        Assert.Equal(viewRounds, converge);

        var log2 = Math.Log2(n);
        var worst = 0;
        for (var f = 0; f < 5; f++)
        {
            var file = $"seed{seed}-file{f}.iso";
            var home = sim.RandomLivePeer();
            sim.Insert(home, file);
            var group = sim.Live.Where(p => p.FileTuples.Holds(file)).ToList();
            var rounds = sim.StepUntil(() => group.All(p => p.AnswerLookup(file)?.HomeNode == home.Self), 100);
            output.WriteLine($"  {file}: whole group of {group.Count} after {rounds} rounds");
            Assert.InRange(rounds, 0, 100);
            worst = Math.Max(worst, rounds);
        }

        // Epidemic spread within a group of about sqrt(n) peers: a few rounds per doubling. Seeded:
        // the slowest of the 5 tuples takes exactly 3 (n = 64) / 4 (n = 256) rounds, within the
        // analytic bound of 2 log2(n) = 12 / 16 rounds.
        Assert.Equal(slowestTuple, worst);
        Assert.True(worst <= 2 * log2, $"slowest filetuple took {worst} rounds, more than 2 log2(n) = {2 * log2:F1}");

        // Constant background cost: at most fanout messages of bounded size per peer per round.
        Assert.Equal(sim.Options.Fanout, sim.MaxPerPeerRound.Messages);
        Assert.True(sim.MaxPerPeerRound.Bytes <= sim.Options.Fanout * sim.Options.MaxMessageBytes);
        output.WriteLine($"  {sim.Messages} messages, {sim.Bytes / (double)(sim.Round * n):F0} B per peer per round");
    }

    [Fact]
    public void Lookups_resolve_in_one_hop_and_survive_ten_percent_of_the_peers_failing()
    {
        const int n = 200;
        var sim = new KelipsSimulation(n, KelipsOptions.ForExpectedPeers(n), 7);
        Assert.InRange(sim.StepUntil(sim.ViewsComplete, 200), 0, 200);

        var homes = new Dictionary<string, KelipsSoftState>();
        for (var f = 0; f < 60; f++)
        {
            var home = sim.RandomLivePeer();
            homes[$"track-{f:D3}.ogg"] = home;
            sim.Insert(home, $"track-{f:D3}.ogg");
        }

        for (var r = 0; r < 20; r++)
        {
            sim.Step();
        }

        var (found, oneHop, local) = RunLookups(sim, homes, 300);
        output.WriteLine($"healthy: {found}/300 found, {oneHop} in one hop, {local} local");
        Assert.Equal(300, found);
        Assert.Equal(300, oneHop + local);

        sim.Fail(0.10);
        var alive = homes.Where(h => !sim.Dead.Contains(h.Value.Self)).ToDictionary();
        var (foundNow, _, _) = RunLookups(sim, alive, 300);
        output.WriteLine($"just after 10% failed: {foundNow}/300 found");
        // Seeded, so exact: every one of the 300 lookups of a live file is answered right after 10% of
        // the peers failed (a dead contact is skipped for the other contact, then the group mates' contacts).
        Assert.Equal(300, foundNow);

        // Dead members and contacts time out and are replaced from gossip.
        for (var r = 0; r < sim.Options.ContactTimeoutRounds + 40; r++)
        {
            sim.Step();
        }

        var (foundLater, oneHopLater, localLater) = RunLookups(sim, alive, 300);
        output.WriteLine($"after {sim.Options.ContactTimeoutRounds + 40} rounds: {foundLater}/300 found, {oneHopLater} in one hop, {localLater} local");
        var contacts = sim.Live.SelectMany(p => p.Contacts.All).ToList();
        var deadContacts = contacts.Count(c => sim.Dead.Contains(c.Id));
        output.WriteLine($"dead contacts left: {deadContacts} of {contacts.Count}");
        Assert.Equal(300, foundLater);
        // Once repaired every lookup is local or one hop (section 2.2): 17 from the file's own group, 283 through a contact.
        Assert.Equal((283, 17), (oneHopLater, localLater));
        Assert.True(sim.ViewsComplete());
        Assert.All(sim.Live, p => Assert.Equal(0, KelipsGroundTruth.StaleViewEntries(p, sim.LiveIds)));
        // Every dead contact timed out (80 rounds) and was replaced: none of the 5,040 left is dead.
        Assert.Equal((0, 5_040), (deadContacts, contacts.Count));
    }

    private static (int Found, int OneHop, int Local) RunLookups(KelipsSimulation sim, Dictionary<string, KelipsSoftState> homes, int count)
    {
        var names = homes.Keys.Order(StringComparer.Ordinal).ToList();
        var random = new Random(99);
        int found = 0, oneHop = 0, local = 0;
        for (var i = 0; i < count; i++)
        {
            var name = names[random.Next(names.Count)];
            var from = sim.RandomLivePeer();
            var (answer, hops) = sim.Lookup(from, name);
            if (answer?.HomeNode == homes[name].Self)
            {
                found++;
                oneHop += hops == 1 ? 1 : 0;
                local += hops == 0 ? 1 : 0;
            }
        }

        return (found, oneHop, local);
    }
}
