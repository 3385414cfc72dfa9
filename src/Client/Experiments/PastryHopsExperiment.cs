using System.Globalization;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Client.Experiments;

/// <summary>Pastry section 3.1 (figures 4 and 5): hops per route against N, and their distribution, b = 4, |L| = 16.</summary>
public sealed class PastryHopsExperiment : IExperiment
{
    /// <summary>Hop counts 0 .. MaxBucket - 1 get a column each; the last column holds MaxBucket hops and more.</summary>
    private const int MaxBucket = 6;

    public string Name => "pastry-hops";

    public string Description => "Mean, 1st, 50th and 99th percentile and histogram of routing hops against N on converged (oracle-built) Pastry overlays and on overlays built by the join protocol (b = 4, |L| = 16, |M| = 32, m = 128, proximity selection, iterative lookups of random keys).";

    public string Paper => "Rowstron and Druschel (Middleware 2001, section 3.1, figures 4 and 5): the mean number of routing hops grows as log_16 N and stays below ceil(log_16 N) — about 2.5 hops at N = 1,000 and about 4 at N = 100,000; at N = 100,000, 1.6% / 15.6% / 64.5% / 17.5% of the routes take 2 / 3 / 4 / 5 hops.";

    public static IReadOnlyList<string> HistogramColumns { get; } =
        [.. Enumerable.Range(0, MaxBucket).Select(h => string.Create(CultureInfo.InvariantCulture, $"frac_{h}")), $"frac_{MaxBucket}_plus"];

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        int[] sizes = context.Pick<int[]>([32, 128, 512], [300, 1_000, 3_000, 10_000], [1_000, 3_000, 10_000, 30_000, 100_000]);
        // The join protocol at 10,000 peers takes minutes; pastry-stretch has it at small scale.
        int[] joinedSizes = context.Pick<int[]>([512], [1_000], [1_000, 10_000]);
        var lookups = context.Pick(300, 3_000, 10_000);
        var runs = sizes.Select(n => (N: n, Build: PastryExperimentSupport.Build.Converged))
            .Concat(joinedSizes.Select(n => (N: n, Build: PastryExperimentSupport.Build.Joined))).ToList();
        var table = new ExperimentTable(["n", "build", "lookups", "mean_hops", "p1_hops", "p50_hops", "p99_hops", "max_hops", "ceil_log16_n", "wrong_or_failed", .. HistogramColumns]);
        for (var i = 0; i < runs.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var (n, build) = runs[i];
            var label = string.Create(CultureInfo.InvariantCulture, $"N = {n}, {PastryExperimentSupport.Name(build)}");
            context.Progress((double)i / runs.Count, label);
            var parameters = context.Parameters(new PastryParameters());
            var (overlay, members) = await PastryExperimentSupport.BuildAsync(context, Name, parameters, n, build, f => context.Progress((i + (0.9 * f)) / runs.Count, label));
            var results = await PastryExperimentSupport.LookupsAsync(context, overlay, parameters, members, lookups, string.Create(CultureInfo.InvariantCulture, $"hops-{n}"));
            var live = new PastryIdIndex(members, parameters);
            var hops = results.Select(r => (double)r.Hops).ToList();
            var histogram = new object[MaxBucket + 1];
            for (var h = 0; h <= MaxBucket; h++)
            {
                var count = h < MaxBucket ? results.Count(r => r.Hops == h) : results.Count(r => r.Hops >= MaxBucket);
                histogram[h] = (double)count / results.Length;
            }

            table.Add([members.Count, PastryExperimentSupport.Name(build), lookups, hops.Average(), Percentile.NearestRank(hops, 1), Percentile.NearestRank(hops, 50),
                Percentile.NearestRank(hops, 99), hops.Max(), Math.Ceiling(Math.Log(members.Count, 16) - 1e-9),
                results.Count(r => !r.Success || r.Owner != live.NumericallyClosest(r.Key)), .. histogram]);
            await context.Client.GetGrain<P2POrleans.Common.IOverlayRegistryGrain>(overlay).DeleteAsync();
        }

        var converged = table.Rows.Where(r => (string)r[1] == "converged").ToList();
        var joined = table.Rows.Where(r => (string)r[1] == "joined").ToList();
        List<double> LogN(IEnumerable<object[]> rs) => [.. rs.Select(r => Math.Log10((int)r[0]))];
        List<double> Col(IEnumerable<object[]> rs, int c) => [.. rs.Select(r => Convert.ToDouble(r[c], CultureInfo.InvariantCulture))];
        var figure = new ExperimentFigure("Pastry: routing hops against N (b = 4, |L| = 16)", "log10 N", "hops",
        [
            new("mean, converged", LogN(converged), Col(converged, 3)),
            new("mean, joined", LogN(joined), Col(joined, 3)),
            new("1st percentile, converged", LogN(converged), Col(converged, 4)),
            new("99th percentile, converged", LogN(converged), Col(converged, 6)),
            new("ceil(log16 N)", LogN(converged), Col(converged, 8)),
            new("log16 N", LogN(converged), [.. converged.Select(r => Math.Log((int)r[0], 16))]),
            new("paper (fig. 4): 2.5 at 10^3, 4 at 10^5", [3.0, 5.0], [2.5, 4.0]),
        ]);
        var comparison = new List<string>();
        foreach (var row in table.Rows)
        {
            var frac = Enumerable.Range(0, MaxBucket + 1).Select(h => (double)row[10 + h]).ToList();
            var shown = string.Join(" / ", frac.Select((f, h) => (f, h)).Where(x => x.f > 0).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.h}{(x.h == MaxBucket ? "+" : "")}: {x.f * 100:F1}%")));
            comparison.Add(string.Create(CultureInfo.InvariantCulture, $"N = {row[0]}, {row[1]}: mean {(double)row[3]:F2} hops (log16 N = {Math.Log((int)row[0], 16):F2}, ceil = {row[8]}), 99th percentile {row[6]}, max {row[7]}; hops {shown}; wrong or failed {row[9]}."));
        }

        foreach (var j in joined)
        {
            if (converged.FirstOrDefault(c => (int)c[0] == (int)j[0]) is { } c)
            {
                comparison.Add(string.Create(CultureInfo.InvariantCulture, $"N = {j[0]}: the join protocol's tables route in {(double)j[3]:F2} hops against {(double)c[3]:F2} for the oracle's ({(double)j[3] - (double)c[3]:+0.00;-0.00;0.00})."));
            }
        }

        comparison.Add("The paper's figure 4 points (2.5 at 1,000 and 4 at 100,000) are read off its plot; its hop counts, like ours, count the nodes a message visits after the source.");
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["N"] = string.Create(CultureInfo.InvariantCulture, $"converged {string.Join(", ", sizes)}; joined {string.Join(", ", joinedSizes)}"),
            ["lookups per N"] = lookups.ToString(CultureInfo.InvariantCulture),
            ["b, |L|, |M|, m"] = "4, 16, 32, 128",
            ["build"] = "converged: every member's ideal state installed from the oracle; joined: one by one through the join protocol (section 2.4), each joiner bootstrapping through the nearest of 4 random members, no maintenance round after; proximity neighbour selection in both",
            ["lookups"] = "iterative, random SHA-1 keys from random members; correct = the numerically closest member",
        });
    }
}
