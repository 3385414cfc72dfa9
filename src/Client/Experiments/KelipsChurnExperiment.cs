using System.Globalization;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client.Experiments;

/// <summary>Kelips section 3: lookups after rounds of churn, with gossip repairing views and contacts in between.</summary>
public sealed class KelipsChurnExperiment : IExperiment
{
    public string Name => "kelips-churn";

    public string Description => "Lookup success (filetuple found and file fetched from its live home node) and hops against churn: each round a fraction of the peers crashes and as many new peers join, then one gossip round.";

    public string Paper => "Gupta et al. (IPTPS 2003, sections 2.2 and 3): a lookup takes O(1) hops — one to a contact in the file's group, two with the fallback through a group mate — and stays highly available under churn because soft state is refreshed by gossip.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var n = context.Pick(64, 500, 2_000);
        var fileCount = context.Pick(60, 200, 1_000);
        var churnRounds = context.Pick(8, 20, 20);
        var lookups = context.Pick(200, 2_000, 5_000);
        double[] rates = context.Pick<double[]>([0, 0.02, 0.05, 0.1], [0, 0.01, 0.02, 0.05, 0.1], [0, 0.01, 0.02, 0.05, 0.1]);
        var table = new ExperimentTable("n", "rate_per_round", "rounds", "replaced", "lookups", "success_fraction", "mean_hops", "max_hops", "dead_met_per_lookup", "files_lost");
        for (var i = 0; i < rates.Length; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var rate = rates[i];
            context.Progress((double)i / rates.Length, string.Create(CultureInfo.InvariantCulture, $"churn {rate:P0} per round"));
            var parameters = new KelipsParameters { Seed = context.Seed, ExpectedPeers = n, ExpectedFiles = fileCount };
            var overlay = await KelipsExperimentSupport.BuildAsync(context, Name, parameters, n);
            var registry = context.Client.GetGrain<IOverlayRegistryGrain>(overlay);
            var control = context.Client.GetGrain<IKelipsOverlayGrain>(overlay);
            var files = Enumerable.Range(0, fileCount).Select(f => $"churn-{f}.mp3").ToList();
            var homes = await KelipsExperimentSupport.InsertAsync(context, overlay, await registry.GetMembersAsync(), files, "churn-insert");
            await KelipsExperimentSupport.ConvergeAsync(context, overlay, maxRounds: 100, checkEvery: context.Pick(1, 2, 5));

            var random = SeededRandom.Create(context.Seed, string.Create(CultureInfo.InvariantCulture, $"churn-{rate}"));
            var perRound = (int)Math.Round(n * rate);
            var replaced = 0;
            for (var r = 0; r < churnRounds; r++)
            {
                var members = await registry.GetMembersAsync();
                foreach (var victim in members.OrderBy(_ => random.Next()).Take(perRound).Order())
                {
                    await KelipsExperimentSupport.Peer(context, overlay, victim).FailAsync();
                    replaced++;
                }

                if (perRound > 0)
                {
                    await control.JoinPeersAsync(perRound);
                }

                await registry.StepAsync(1);
            }

            // Lookups of the files whose home node still lives, one at a time (a lookup that meets a
            // dead peer forgets it, so order matters for the same seed to give the same numbers).
            var live = (await registry.GetMembersAsync()).ToList();
            var liveSet = live.ToHashSet();
            var alive = files.Where(f => liveSet.Contains(homes[f])).ToList();
            var work = Enumerable.Range(0, lookups).Select(_ => (From: live[random.Next(live.Count)], File: alive[random.Next(alive.Count)])).ToList();
            var results = await ChordExperimentSupport.RunAllAsync(work, w => KelipsExperimentSupport.Peer(context, overlay, w.From).LookupAsync(w.File), concurrency: 1);
            table.Add(n, rate, churnRounds, replaced, results.Length, results.Count(x => x.Fetched) / (double)results.Length,
                results.Average(x => x.Lookup.Hops), results.Max(x => x.Lookup.Hops), results.Average(x => x.Lookup.DeadHopsSkipped), fileCount - alive.Count);
            await KelipsExperimentSupport.DeleteAsync(context, overlay);
        }

        var xs = table.Column("rate_per_round").ToList();
        var figure = new ExperimentFigure("Kelips: lookups under churn", "fraction of peers replaced per round", "success fraction / mean hops",
        [
            new("lookup success", xs, table.Column("success_fraction").ToList()),
            new("mean hops", xs, table.Column("mean_hops").ToList()),
            new("dead peers met per lookup", xs, table.Column("dead_met_per_lookup").ToList()),
        ]);
        var calm = table.Rows[0];
        var worst = table.Rows[^1];
        var comparison = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"No churn: success {(double)calm[5]:P1}, mean {(double)calm[6]:F2} hops, max {calm[7]} (paper: O(1), at most 2 with the fallback)."),
            string.Create(CultureInfo.InvariantCulture, $"{(double)worst[1]:P0} of the peers replaced per round for {churnRounds} rounds: success {(double)worst[5]:P1}, mean {(double)worst[6]:F2} hops, max {worst[7]}, {(double)worst[8]:F2} dead peers met per lookup."),
            "Only files whose home node is still alive are looked up (a crashed home takes its files with it: files_lost); hops count every peer asked, dead ones included.",
        };
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["peers"] = n.ToString(CultureInfo.InvariantCulture),
            ["files"] = fileCount.ToString(CultureInfo.InvariantCulture),
            ["churn rounds"] = churnRounds.ToString(CultureInfo.InvariantCulture),
            ["lookups per rate"] = lookups.ToString(CultureInfo.InvariantCulture),
            ["k, c, fanout"] = "ceil(sqrt N), 2, 3; member timeout 40 rounds, contact timeout 80",
            ["start"] = "gossip until views, contacts and filetuples are complete",
        });
    }
}
