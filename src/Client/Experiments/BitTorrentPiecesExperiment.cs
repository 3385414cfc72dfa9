using System.Globalization;
using P2POrleans.BitTorrent;

namespace P2POrleans.Client.Experiments;

/// <summary>Cohen 2003 section 2.3: rarest first against random piece selection in a flash crowd.</summary>
public sealed class BitTorrentPiecesExperiment : IExperiment
{
    public string Name => "bittorrent-pieces";

    public string Description => "A flash crowd of leechers and one seed (every member downloads at 4x its upload rate, 4 + 1 upload slots, tit for tat): completion-time CDF with local rarest first and with uniformly random piece selection, and the distinct pieces held by the leechers over (simulated) time.";

    public string Paper => "Cohen (2003, section 2.3): rarest first makes sure peers hold the pieces others want and gets every piece out of the seed as early as possible, so the swarm survives the seed and downloads finish sooner than with random selection; Legout et al. (IMC 2006) measured real torrents rather than comparing with random: rarest first keeps the pieces close to ideally diverse, and before the seed has sent every piece once (the transient state of a flash crowd) the seed's upload is the bottleneck.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var template = BitTorrentExperimentSupport.FlashCrowd(context) with { Seeds = 1 };
        var leechers = template.Peers;
        var pieces = (int)((template.FileSize + template.PieceLength - 1) / template.PieceLength);
        var table = new ExperimentTable("policy", "series", "time_s", "value");
        var summary = new List<(string Policy, double Mean, double P50, double P99, double Last, double AllOut)>();
        PiecePolicy[] policies = [PiecePolicy.RarestFirst, PiecePolicy.Random];
        for (var i = 0; i < policies.Length; i++)
        {
            var policy = policies[i];
            var label = policy == PiecePolicy.RarestFirst ? "rarest-first" : "random";
            context.Progress((double)i / policies.Length, label);
            var (progress, history) = await BitTorrentExperimentSupport.RunAsync(context, Name, template with { Policy = policy },
                f => context.Progress((i + f) / policies.Length, label));
            var times = progress.Completions.Select(c => c.DownloadSeconds).Order().ToList();
            for (var k = 0; k < times.Count; k++)
            {
                table.Add(label, "completion_cdf", times[k], (double)(k + 1) / leechers);
            }

            foreach (var sample in history)
            {
                table.Add(label, "distinct_pieces", sample.Time, sample.DistinctPieces);
            }

            foreach (var sample in history)
            {
                table.Add(label, "min_replication", sample.Time, sample.MinReplication);
            }

            var allOut = history.FirstOrDefault(h => h.DistinctPieces == pieces)?.Time ?? double.NaN;
            summary.Add((label, times.Average(), Percentile.NearestRank(times, 50), Percentile.NearestRank(times, 99), times[^1], allOut));
        }

        ExperimentFigure figure = new("BitTorrent flash crowd: rarest first vs random", "simulated seconds", "fraction",
        [
            .. summary.Select(s => new FigureSeries($"completed leechers, {s.Policy}", Series(table, s.Policy, "completion_cdf").X, Series(table, s.Policy, "completion_cdf").Y)),
            .. summary.Select(s => new FigureSeries($"distinct pieces among leechers / {pieces}, {s.Policy}", Series(table, s.Policy, "distinct_pieces").X, Series(table, s.Policy, "distinct_pieces").Y.Select(y => y / pieces).ToList())),
        ]);
        var lowerBound = template.FileSize * (double)leechers / ((leechers + 1) * (double)template.UploadRate);
        var rf = summary[0];
        var rnd = summary[1];
        var comparison = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Rarest first: mean completion {rf.Mean:F1} s, median {rf.P50:F1} s, 99th pct {rf.P99:F1} s, last {rf.Last:F1} s; every piece among the leechers at {rf.AllOut:F0} s."),
            string.Create(CultureInfo.InvariantCulture, $"Random: mean completion {rnd.Mean:F1} s, median {rnd.P50:F1} s, 99th pct {rnd.P99:F1} s, last {rnd.Last:F1} s; every piece among the leechers at {rnd.AllOut:F0} s."),
            string.Create(CultureInfo.InvariantCulture, $"Rarest first is {(rnd.Mean - rf.Mean) / rnd.Mean:P0} faster on average (paper: faster, no number for this setup). Lower bound (file x leechers / all upload capacity): {lowerBound:F1} s."),
            "The paper gives no completion-time figure for this setup; the comparison is qualitative. Our run is seed-limited (the seed uploads as fast as a leecher), which is where piece choice matters most.",
        };
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["leechers, seeds"] = string.Create(CultureInfo.InvariantCulture, $"{leechers}, 1 (flash crowd: all arrive at time 0)"),
            ["file"] = string.Create(CultureInfo.InvariantCulture, $"{template.FileSize >> 20} MiB in {pieces} pieces of {template.PieceLength / 1024} KiB"),
            ["bandwidth"] = BitTorrentExperimentSupport.Bandwidth(template),
            ["choking"] = "tit for tat, 4 + 1 upload slots, 40 connections; rarest first starts after 1 random piece",
            ["series"] = "completion_cdf: (download time, fraction of leechers done); distinct_pieces and min_replication: per-tick samples",
        });
    }

    private static (List<double> X, List<double> Y) Series(ExperimentTable table, string policy, string series)
    {
        var rows = table.Rows.Where(r => (string)r[0] == policy && (string)r[1] == series).ToList();
        return (rows.Select(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture)).ToList(), rows.Select(r => Convert.ToDouble(r[3], CultureInfo.InvariantCulture)).ToList());
    }
}
