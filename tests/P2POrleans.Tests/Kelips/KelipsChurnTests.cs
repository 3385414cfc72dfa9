using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Lookups under churn with the pure classes (the kelips-churn experiment's setting, docs/kelips.md,
/// "Lookups under churn"): every round 10% of the peers crash and as many new ones join. A failed
/// lookup of a file whose home node died is the file being gone; one whose home lives is the overlay
/// failing, and these all come from contacts: a live contact always holds the tuple.
/// </summary>
public sealed class KelipsChurnTests
{
    [Fact]
    public void At_ten_percent_churn_per_round_every_failure_of_a_live_file_is_a_missing_or_dead_contact()
    {
        const int n = 500;
        var sim = new KelipsSimulation(n, KelipsOptions.ForExpectedPeers(n), 1) { ReportDeadGossipTargets = true };
        Assert.InRange(sim.StepUntil(sim.ViewsComplete, 200), 0, 200);
        var homes = new Dictionary<string, NodeId>();
        for (var f = 0; f < 200; f++)
        {
            var home = sim.RandomLivePeer();
            homes[$"churn-{f}.mp3"] = home.Self;
            sim.Insert(home, $"churn-{f}.mp3");
        }

        for (var r = 0; r < 30; r++)
        {
            sim.Step();
        }

        var joined = 0;
        for (var r = 0; r < 20; r++)
        {
            const int count = n / 10;
            sim.Fail(count / (double)sim.LiveIds.Count);
            for (var j = 0; j < count; j++, joined++)
            {
                sim.Add(IdSpace.Sha1.Hash($"10.1.{joined / 256}.{joined % 256}:4000/{r}"));
            }

            sim.Step();
        }

        var random = new Random(5);
        var names = homes.Keys.Order(StringComparer.Ordinal).ToList();
        int liveLookups = 0, found = 0, failed = 0, noContact = 0, contactsDead = 0, routeTotal = 0;
        for (var i = 0; i < 2000; i++)
        {
            var name = names[random.Next(names.Count)];
            var from = sim.RandomLivePeer();
            var plan = from.PlanLookup(name);
            var walk = sim.Walk(from, name);
            Assert.InRange(walk.PathLength, 0, 2);
            Assert.True(walk.Messages >= walk.PathLength, "every hop of the route is a message");
            if (sim.Dead.Contains(homes[name]))
            {
                continue;
            }

            liveLookups++;
            if (walk.Answer is not null)
            {
                Assert.Equal(homes[name], walk.Answer.HomeNode);
                found++;
                routeTotal += walk.PathLength;
                continue;
            }

            failed++;
            Assert.False(plan.IsLocal, "the initiator's own group always holds a live file's tuple");
            noContact += plan.Contacts.Count == 0 ? 1 : 0;
            contactsDead += plan.Contacts.Count > 0 && plan.Contacts.All(sim.Dead.Contains) ? 1 : 0;
        }

        // Seeded and deterministic: 89 of 215 lookups of live files fail (docs/kelips.md), 10 with no
        // contact in the file's group, 79 with every contact dead; none because a live peer asked
        // lacked the tuple. 81% of the contacts are dead: a crashed contact leaves only when a call
        // to it fails or after the 80-round contact timeout, and a peer lives 10 rounds on average.
        Assert.Equal((215, 89, 10, 79), (liveLookups, failed, noContact, contactsDead));
        Assert.Equal(liveLookups - failed, found);
        var contacts = sim.Live.SelectMany(p => p.Contacts.All).ToList();
        Assert.Equal(0.81, contacts.Count(c => sim.Dead.Contains(c.Id)) / (double)contacts.Count, 2);
        Assert.InRange(routeTotal / (double)found, 1.0, 2.0);
    }
}
