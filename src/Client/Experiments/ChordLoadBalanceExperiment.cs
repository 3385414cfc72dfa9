using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Chord section 6.2 (ToN figure 9): keys per host with virtual nodes. Pure ring arithmetic, no grains needed.</summary>
public sealed class ChordLoadBalanceExperiment : IExperiment
{
    public string Name => "chord-load-balance";

    public string Description => "Keys per host for 10^4 hosts and 10^5 .. 10^6 keys, with v = 1, 2, 5, 10, 20 virtual nodes per host.";

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
                var parameters = new ChordParameters { VirtualNodes = v, Seed = context.Seed };
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
        var last = table.Rows.Where(r => (int)r[1] == keyCounts[^1]).ToList();
        var comparison = new List<string>
        {
            $"{hosts:N0} hosts, {keyCounts[^1]:N0} keys: 99th percentile / mean = {(double)last[0][6]:F2} with v = 1 (paper about 4.8) and {(double)last[^1][6]:F2} with v = 20 (paper about 1.6).",
            "With few keys per host, the Poisson noise of the keys themselves keeps the ratio above the paper's (compare the two key counts).",
        };
        return Task.FromResult(new ExperimentResult(table, figure, comparison, new Dictionary<string, string> { ["bits"] = "160", ["ids"] = "SHA-1(\"10.a.b.c:port#i\")" }));
    }
}
