using System.Globalization;
using P2POrleans.Chord;

namespace P2POrleans.Client.Experiments;

/// <summary>Chord ToN figure 10: path length against N.</summary>
public sealed class ChordPathLengthExperiment : IExperiment
{
    public string Name => "chord-path-length";

    public string Description => "Mean, 1st and 99th percentile lookup hops against N = 2^k peers on converged rings (m = 160), with an 8-entry successor list in routing and with fingers only.";

    public string Paper => "Stoica et al. (ToN 2003, section V.D, figure 10): the mean path length is about ½·log2 N; the 1st and 99th percentiles stay within a few hops of it.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var exponents = Enumerable.Range(3, context.Pick(4, 8, 12)).ToList();
        var lookups = context.Pick(200, 2_000, 10_000);
        var table = new ExperimentTable("n", "successors", "lookups", "mean_hops", "p1_hops", "p99_hops", "max_hops", "half_log2_n", "failed");
        var done = 0;
        foreach (var successors in new[] { 8, 1 })
        {
            foreach (var exp in exponents)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var n = 1 << exp;
                context.Progress((double)done++ / (2 * exponents.Count), $"N = {n}, r = {successors}");
                var parameters = context.Parameters(new ChordParameters { Successors = successors, Replicas = 1 });
                var (overlay, members) = await ChordExperimentSupport.BuildAsync(context, Name, parameters, n);
                var results = await ChordExperimentSupport.LookupsAsync(context, overlay, members, lookups, $"path-{n}-{successors}");
                var hops = results.Select(r => (double)r.Hops).ToList();
                table.Add(n, successors, lookups, hops.Average(), Percentile.NearestRank(hops, 1), Percentile.NearestRank(hops, 99), hops.Max(), 0.5 * exp, results.Count(r => !r.Success));
                await ChordExperimentSupport.DeleteAsync(context, overlay);
            }
        }

        var rows = table.Rows.Select(r => (N: (int)r[0], R: (int)r[1], Mean: (double)r[3], P1: (double)r[4], P99: (double)r[5])).ToList();
        var withList = rows.Where(r => r.R == 8).ToList();
        var fingersOnly = rows.Where(r => r.R == 1).ToList();
        var figure = new ExperimentFigure("Chord path length", "log2 N", "hops",
        [
            new("mean, r = 8", withList.Select(r => Math.Log2(r.N)).ToList(), withList.Select(r => r.Mean).ToList()),
            new("1st percentile", withList.Select(r => Math.Log2(r.N)).ToList(), withList.Select(r => r.P1).ToList()),
            new("99th percentile", withList.Select(r => Math.Log2(r.N)).ToList(), withList.Select(r => r.P99).ToList()),
            new("mean, fingers only (r = 1)", fingersOnly.Select(r => Math.Log2(r.N)).ToList(), fingersOnly.Select(r => r.Mean).ToList()),
            new("paper: ½·log2 N", withList.Select(r => Math.Log2(r.N)).ToList(), withList.Select(r => 0.5 * Math.Log2(r.N)).ToList()),
        ]);
        var largest = fingersOnly[^1];
        var largestWithList = withList[^1];
        double Growth(List<(int N, int R, double Mean, double P1, double P99)> series) =>
            (series[^1].Mean - series[0].Mean) / (Math.Log2(series[^1].N) - Math.Log2(series[0].N));
        var comparison = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"N = {largest.N}, fingers only: mean {largest.Mean:F2} hops against ½·log2 N = {0.5 * Math.Log2(largest.N):F2} ({(largest.Mean - (0.5 * Math.Log2(largest.N))) / (0.5 * Math.Log2(largest.N)):+0%;-0%;0%})."),
            string.Create(CultureInfo.InvariantCulture, $"N = {largestWithList.N}, with an 8-entry successor list in routing: mean {largestWithList.Mean:F2} hops, {largest.Mean - largestWithList.Mean:F2} {(largestWithList.Mean <= largest.Mean ? "fewer" : "more")} than with fingers only."),
            string.Create(CultureInfo.InvariantCulture, $"Mean hops grow by {Growth(fingersOnly):F2} per doubling of N with fingers only and {Growth(withList):F2} with the successor list, from N = {withList[0].N} to {largestWithList.N} (paper: 0.5)."),
        };
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["N"] = string.Create(CultureInfo.InvariantCulture, $"2^{exponents[0]} .. 2^{exponents[^1]} ({1 << exponents[0]} .. {1 << exponents[^1]})"),
            ["bits"] = "160",
            ["lookups per N"] = lookups.ToString(CultureInfo.InvariantCulture),
            ["build"] = "converged (ideal state installed)",
        });
    }
}
