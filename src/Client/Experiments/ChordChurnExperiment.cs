using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Chord ToN figure 12/13: lookups while peers join and fail continuously, with one stabilization round per step.</summary>
public sealed class ChordChurnExperiment : IExperiment
{
    public string Name => "chord-churn";

    public string Description => "Failed lookups against the join/fail rate (fraction of peers replaced per stabilization round).";

    public string Paper => "Stoica et al. (ToN 2003, section V.F): under continuous joins and failures with periodic stabilization, the fraction of failed lookups grows with the churn rate and stays small when stabilization is frequent compared with churn.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var n = context.Pick(48, 400, 2_000);
        var rounds = context.Pick(8, 20, 30);
        var lookupsPerRound = context.Pick(30, 200, 500);
        double[] rates = context.Scale == ExperimentScale.Tiny ? [0.0, 0.05, 0.1] : [0.0, 0.01, 0.02, 0.05, 0.1, 0.2];
        var table = new ExperimentTable("n", "rate_per_round", "rounds", "lookups", "failed", "wrong_owner", "failed_fraction", "mean_hops", "failed_joins", "owner_joined_this_round", "wrong_owner_joined_this_round");
        var step = 0;
        foreach (var rate in rates)
        {
            context.Progress((double)step++ / rates.Length, $"rate {rate:F2}");
            var parameters = context.Parameters(new ChordParameters { Successors = 8, Replicas = 1 });
            var (overlay, _) = await ChordExperimentSupport.BuildAsync(context, Name, parameters, n);
            var registry = context.Client.GetGrain<IOverlayRegistryGrain>(overlay);
            var control = context.Client.GetGrain<IChordOverlayGrain>(overlay);
            var random = SeededRandom.Create(context.Seed, "churn-" + rate.ToString(CultureInfo.InvariantCulture));
            int lookups = 0, failed = 0, wrong = 0, failedJoins = 0, ownerJoined = 0, wrongJoined = 0;
            double hops = 0;
            for (var round = 0; round < rounds; round++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var members = await registry.GetMembersAsync();
                var changes = (int)Math.Round(rate * n);
                foreach (var victim in members.OrderBy(_ => random.Next()).Take(changes).Order().ToList())
                {
                    await ChordExperimentSupport.Peer(context, overlay, victim).FailAsync();
                }

                var beforeJoins = (await registry.GetMembersAsync()).ToHashSet();
                for (var j = 0; j < changes; j++)
                {
                    try
                    {
                        await control.JoinHostsAsync(1);
                    }
                    catch (P2PException)
                    {
                        // Every bootstrap tried led to a peer whose known successors had all died
                        // since the last round: the join fails, as a real one would, and is counted.
                        failedJoins++;
                    }
                }

                await registry.StepAsync(1);
                var live = await registry.GetMembersAsync();
                var ideal = new IdealRing(IdSpace.Sha1, live);
                var results = await ChordExperimentSupport.LookupsAsync(context, overlay, live, lookupsPerRound, $"churn-{rate}-{round}", concurrency: 1);
                lookups += results.Length;
                failed += results.Count(r => !r.Success);
                wrong += results.Count(r => r.Success && r.Owner != ideal.Successor(r.Key));
                hops += results.Sum(r => r.Hops);

                // Keys whose correct owner joined in this round's batch: one stabilization round
                // may not have told the joiner's predecessor yet.
                bool Joined(LookupResult r) => !beforeJoins.Contains(ideal.Successor(r.Key));
                ownerJoined += results.Count(Joined);
                wrongJoined += results.Count(r => r.Success && r.Owner != ideal.Successor(r.Key) && Joined(r));
            }

            table.Add(n, rate, rounds, lookups, failed, wrong, (double)(failed + wrong) / lookups, hops / lookups, failedJoins, ownerJoined, wrongJoined);
            await ChordExperimentSupport.DeleteAsync(context, overlay);
        }

        var figure = new ExperimentFigure("Chord under churn", "peers replaced per round (fraction of N)", "failed or wrong lookups (fraction)",
            [new("ours", table.Column("rate_per_round").ToList(), table.Column("failed_fraction").ToList())]);
        var comparison = new List<string>
        {
            "Failed or wrong lookups by churn rate: " + string.Join("; ", table.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{(double)r[1]:P0} per round: {(double)r[6]:P2}"))) + ".",
            "A lookup counts as wrong when the owner it returns is not the successor of the key among the peers alive at that moment.",
            "Wrong owners whose correct owner joined in the same round (one stabilization round earlier): " + string.Join("; ", table.Rows.Where(r => (int)r[5] > 0).Select(r => string.Create(CultureInfo.InvariantCulture, $"{(double)r[1]:P0} per round: {r[10]} of {r[5]}"))) + ".",
        };
        var totalFailedJoins = table.Column("failed_joins").Sum();
        if (totalFailedJoins > 0)
        {
            var worst = table.Rows.Where(r => (int)r[8] > 0).Select(r => (double)r[1]).ToList();
            comparison.Add(string.Create(CultureInfo.InvariantCulture, $"{totalFailedJoins:F0} joins failed (counted, not retried), at {string.Join(", ", worst.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))} per round."));
        }

        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["peers"] = n.ToString(CultureInfo.InvariantCulture),
            ["rounds per rate"] = rounds.ToString(CultureInfo.InvariantCulture),
            ["lookups per round"] = lookupsPerRound.ToString(CultureInfo.InvariantCulture),
            ["stabilization"] = "one round (stabilize, fix one finger, check predecessor) after each batch of joins and failures",
        });
    }
}
