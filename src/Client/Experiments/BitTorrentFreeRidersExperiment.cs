using System.Globalization;
using P2POrleans.BitTorrent;

namespace P2POrleans.Client.Experiments;

/// <summary>Cohen 2003 section 3 (choking): free riders against contributors with tit for tat and with choking off.</summary>
public sealed class BitTorrentFreeRidersExperiment : IExperiment
{
    public string Name => "bittorrent-free-riders";

    public string Description => "Mean and median completion of free riders (never upload) and contributors in a flash crowd with 20% free riders, with tit-for-tat choking and with choking off (every interested peer unchoked), for 1 and 4 seeds.";

    public string Paper => "Cohen (2003, sections 3.1-3.2): peers upload to those that upload to them (tit for tat), with one optimistic unchoke; a peer that does not upload gets only optimistic unchokes and the seeds' bandwidth, so free riding is penalised; without choking everyone is served alike.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var template = BitTorrentExperimentSupport.FlashCrowd(context) with { FreeRiderFraction = 0.2 };
        var leechers = template.Peers;
        var table = new ExperimentTable("seeds", "tit_for_tat", "leechers", "free_riders", "contributors_mean_s", "free_riders_mean_s", "contributors_median_s", "free_riders_median_s", "ratio_mean");
        (int Seeds, bool Choking)[] runs = [(1, true), (1, false), (4, true), (4, false)];
        for (var i = 0; i < runs.Length; i++)
        {
            var (seeds, choking) = runs[i];
            var label = string.Create(CultureInfo.InvariantCulture, $"{seeds} seed{(seeds > 1 ? "s" : "")}, {(choking ? "tit for tat" : "no choking")}");
            context.Progress((double)i / runs.Length, label);
            var parameters = template with { Seeds = seeds, Choking = choking };
            var (progress, _) = await BitTorrentExperimentSupport.RunAsync(context, Name, parameters, f => context.Progress((i + f) / runs.Length, label));
            var contributors = BitTorrentExperimentSupport.Mean(progress.Completions, PeerBehaviour.Leecher);
            var riders = BitTorrentExperimentSupport.Mean(progress.Completions, PeerBehaviour.FreeRider);
            table.Add(seeds, choking ? 1 : 0, leechers, parameters.FreeRiders, contributors, riders,
                BitTorrentExperimentSupport.Median(progress.Completions, PeerBehaviour.Leecher), BitTorrentExperimentSupport.Median(progress.Completions, PeerBehaviour.FreeRider), riders / contributors);
        }

        var rows = table.Rows.Select(r => (Seeds: (int)r[0], Tft: (int)r[1] == 1, Contributors: (double)r[4], Riders: (double)r[5], Ratio: (double)r[8])).ToList();
        List<double> x = [1, 2, 3, 4];
        var figure = new ExperimentFigure("BitTorrent: free riders vs contributors (1: 1 seed TfT, 2: 1 seed off, 3: 4 seeds TfT, 4: 4 seeds off)", "configuration", "mean completion (simulated s)",
        [
            new("contributors", x, rows.Select(r => r.Contributors).ToList()),
            new("free riders", x, rows.Select(r => r.Riders).ToList()),
        ]);
        var comparison = rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Seeds} seed{(r.Seeds > 1 ? "s" : "")}, {(r.Tft ? "tit for tat" : "choking off")}: contributors {r.Contributors:F1} s, free riders {r.Riders:F1} s ({r.Ratio:F2}x).")).ToList();
        comparison.Add("With one seed the swarm is seed-limited (everyone waits for the last pieces to leave the seed), so tit for tat penalises free riders little; with 4 seeds the leechers' uploads are the bottleneck and tit for tat makes free riders slower. With choking off free riders are served like everyone, and everyone is slower (each upload is spread over all interested peers, so pieces complete later). The paper states the incentive qualitatively; it gives no numbers for this setup.");
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["leechers"] = string.Create(CultureInfo.InvariantCulture, $"{leechers}, of them {template.FreeRiders} free riders (never unchoke anyone), flash crowd"),
            ["file"] = string.Create(CultureInfo.InvariantCulture, $"{template.FileSize >> 20} MiB, pieces of {template.PieceLength / 1024} KiB"),
            ["bandwidth"] = BitTorrentExperimentSupport.Bandwidth(template),
            ["choking"] = "tit for tat: 4 best uploaders + 1 optimistic, rechoke every 10 s, optimistic every 30 s; off: every interested peer unchoked",
        });
    }
}
