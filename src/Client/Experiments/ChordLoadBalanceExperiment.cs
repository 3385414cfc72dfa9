using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Chord section 6.2 (ToN figure 9): keys per host with virtual nodes. Pure ring arithmetic, no grains needed.</summary>
public sealed class ChordLoadBalanceExperiment : IExperiment
{
    public string Name => "chord-load-balance";

    public string Description => "Keys per host (mean, 1st and 99th percentile) with v = 1, 2, 5, 10, 20 virtual nodes per host, at two key counts.";

    public string Paper => "Stoica et al. (ToN 2003, figure 9): with 10^4 nodes and 10^6 keys, the 99th percentile of keys per node falls from about 4.8x the mean (v = 1) to about 1.6x (v = 20).";

    public Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var hosts = context.Pick(200, 2_000, 10_000);
        int[] keyCounts = context.Scale == ExperimentScale.Paper ? [100_000, 1_000_000] : [hosts * 10, hosts * 100];
        int[] vnodes = [1, 2, 5, 10, 20];
        var table = new ExperimentTable("hosts", "keys", "vnodes", "mean", "p1", "p99", "p99_over_mean");
        var step = 0;
        foreach (var keys in keyCounts)
        {
            foreach (var v in vnodes)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.Progress((double)step++ / (keyCounts.Length * vnodes.Length), $"{keys} keys, v = {v}");
                var parameters = context.Parameters(new ChordParameters { VirtualNodes = v });
                var addresses = ChordHosts.Addresses(parameters, 0, hosts).ToList();
                var hostOf = addresses.ToDictionary(a => a.Id, a => a.Address.Split('#')[0]);
                var ring = new IdealRing(IdSpace.Sha1, addresses.Select(a => a.Id));
                var perHost = hostOf.Values.Distinct().ToDictionary(h => h, _ => 0);
                for (var k = 0; k < keys; k++)
                {
                    perHost[hostOf[ring.Successor(IdSpace.Sha1.Hash(string.Create(CultureInfo.InvariantCulture, $"key-{context.Seed}-{k}")))]]++;
                }

                var counts = perHost.Values.Select(c => (double)c).ToList();
                var mean = counts.Average();
                var p99 = Percentile.NearestRank(counts, 99);
                table.Add(hosts, keys, v, mean, Percentile.NearestRank(counts, 1), p99, p99 / mean);
            }
        }

        var series = keyCounts.Select(keys => new FigureSeries($"{keys:N0} keys: 99th percentile / mean",
            vnodes.Select(v => (double)v).ToList(),
            table.Rows.Where(r => (int)r[1] == keys).Select(r => (double)r[6]).ToList())).ToList();
        var figure = new ExperimentFigure("Chord load balance", "virtual nodes per host", "99th percentile / mean keys per host", series);
        double Ratio(int keys, int v) => (double)table.Rows.Single(r => (int)r[1] == keys && (int)r[2] == v)[6];
        string VersusPaper(double ours, double paper) => string.Create(CultureInfo.InvariantCulture, $"{ours:F2} (paper about {paper:F1}, {(ours - paper) / paper:+0%;-0%;0%})");
        var comparison = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{hosts:N0} hosts, {keyCounts[^1]:N0} keys ({keyCounts[^1] / hosts} per host): 99th percentile / mean = {VersusPaper(Ratio(keyCounts[^1], 1), 4.8)} with v = 1 and {VersusPaper(Ratio(keyCounts[^1], 20), 1.6)} with v = 20."),
        };
        foreach (var v in new[] { 1, 20 })
        {
            var few = Ratio(keyCounts[0], v);
            var many = Ratio(keyCounts[^1], v);
            comparison.Add(string.Create(CultureInfo.InvariantCulture,
                $"v = {v}: {few:F2} with {keyCounts[0] / hosts} keys per host against {many:F2} with {keyCounts[^1] / hosts}{(few > many ? " (with fewer keys per host the Poisson noise of the keys themselves adds to the spread of the arcs)" : "")}."));
        }

        return Task.FromResult(new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["hosts"] = hosts.ToString(CultureInfo.InvariantCulture),
            ["keys"] = string.Join(", ", keyCounts.Select(k => k.ToString(CultureInfo.InvariantCulture))),
            ["bits"] = "160",
            ["ids"] = "SHA-1(\"10.a.b.c:port#i\")",
        }));
    }
}
