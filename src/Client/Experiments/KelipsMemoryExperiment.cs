using System.Globalization;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client.Experiments;

/// <summary>Kelips section 2: soft state per node against N, measured on converged overlays beside the analytic n/k + c(k-1) + F/k.</summary>
public sealed class KelipsMemoryExperiment : IExperiment
{
    public string Name => "kelips-memory";

    public string Description => "Bytes of soft state per node (group view, contacts, filetuples; 40 B per node entry, 60 B per filetuple) against N, with F = N files, k = ceil(sqrt N), c = 2, after gossip converges.";

    public string Paper => "Gupta et al. (IPTPS 2003, section 2): memory per node is n/k + c(k-1) + F/k entries, O(sqrt n) with k = sqrt n; for n = 100,000 nodes and F = 10 million files about 1.93 MB per node.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        int[] sizes = context.Pick<int[]>([16, 36, 64], [100, 400, 1_000, 2_000], [1_000, 10_000]);
        var maxRounds = context.Pick(80, 150, 200);
        var checkEvery = context.Pick(1, 2, 5);
        var heap = new List<double>();
        var table = new ExperimentTable("n", "k", "files", "rounds", "converged", "view_entries", "contacts", "filetuples", "state_bytes", "model_bytes", "gossip_bytes_per_round", "gossip_messages_per_round");
        for (var i = 0; i < sizes.Length; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var n = sizes[i];
            context.Progress((double)i / sizes.Length, $"N = {n}");
            var parameters = context.Parameters(new KelipsParameters { ExpectedPeers = n, ExpectedFiles = n });
            var heapBefore = context.SiloInProcess ? ExperimentHeap.Bytes() : 0;
            var overlay = await KelipsExperimentSupport.BuildAsync(context, Name, parameters, n);
            var members = await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync();
            var files = Enumerable.Range(0, n).Select(f => $"file-{f:D7}.dat").ToList();
            await KelipsExperimentSupport.InsertAsync(context, overlay, members, files, $"memory-{n}");
            var (report, rounds, _) = await KelipsExperimentSupport.ConvergeAsync(context, overlay, maxRounds, checkEvery);
            if (context.SiloInProcess)
            {
                heap.Add((ExperimentHeap.Bytes() - heapBefore) / (double)n);
            }

            // Per-peer means: views from the group summaries, contacts from the check, filetuples from
            // the mean state bytes (linear in the three counts under the size model).
            var view = report.Groups.Sum(g => g.Members * g.MeanViewEntries) / report.Peers;
            var contacts = report.TotalContacts / (double)report.Peers;
            var tuples = (report.MeanStateBytes - ((view + contacts) * KelipsSizeModel.NodeEntryBytes)) / KelipsSizeModel.FileTupleBytes;
            table.Add(report.Peers, parameters.GroupCount, files.Count, rounds, KelipsExperimentSupport.Done(report) ? 1 : 0, view, contacts, tuples,
                report.MeanStateBytes, KelipsSizeModel.AnalyticBytesPerPeer(report.Peers, files.Count), report.GossipBytesPerPeerPerRound, report.GossipMessagesPerPeerPerRound);
            await KelipsExperimentSupport.DeleteAsync(context, overlay);
        }

        var ns = table.Column("n").ToList();
        var figure = new ExperimentFigure("Kelips: soft state per node (F = N files)", "N (peers)", "bytes per node",
        [
            new("ours (measured entries x size model)", ns, table.Column("state_bytes").ToList()),
            new("paper: (n/k + c(k-1)) x 40 B + F/k x 60 B", ns, table.Column("model_bytes").ToList()),
        ]);
        var paper = KelipsSizeModel.AnalyticBytesPerPeer(100_000, 10_000_000);
        var last = table.Rows[^1];
        static string Versus(double measured, double analytic) =>
            string.Create(CultureInfo.InvariantCulture, $"{measured:F1} ({(measured - analytic) / analytic:+0.0%;-0.0%;0.0%} against {analytic:F1})");
        var k = (int)last[1];
        var comparison = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Paper's configuration (n = 100,000, F = 10^7, k = 317, c = 2) priced by our size model: {paper / 1e6:F2} MB per node (paper: about 1.93 MB). This match is by construction: the model's entry sizes ({KelipsSizeModel.NodeEntryBytes} B per node entry, {KelipsSizeModel.FileTupleBytes} B per filetuple) were chosen so that the paper's configuration prices to its figure; it checks the formula n/k + c(k-1) + F/k, not our memory."),
            string.Create(CultureInfo.InvariantCulture, $"Largest N here, {last[0]} (k = {k}): {(double)last[8]:F0} B per node measured under the model against {(double)last[9]:F0} B analytic ({(double)last[8] / (double)last[9]:F3}x); entries per node: view {Versus((double)last[5], (double)(int)last[0] / k)}, contacts {Versus((double)last[6], 2.0 * (k - 1))}, filetuples {Versus((double)last[7], (double)(int)last[2] / k)}."),
            string.Create(CultureInfo.InvariantCulture, $"Bytes per node grow {((double)last[8] / (double)table.Rows[0][8]):F2}x while N grows {((double)ns[^1] / ns[0]):F1}x (sqrt: {Math.Sqrt(ns[^1] / ns[0]):F2}x)."),
        };
        if (heap.Count == sizes.Length)
        {
            comparison.Add("Real memory: managed-heap growth of the silo from before the joins to convergence, per peer (the whole grain activation: Orleans bookkeeping, the peer's state, its hosted files; not in the CSV, it varies from run to run): "
                + string.Join("; ", heap.Select((h, i) => string.Create(CultureInfo.InvariantCulture, $"N = {sizes[i]}: {h:F0} B ({h / (double)table.Rows[i][8]:F1}x the model)"))) + ".");
        }
        else
        {
            comparison.Add("Real memory: not measured in this run (the silo ran in another process); the bytes above are the size model's, not .NET heap bytes.");
        }

        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["N"] = string.Join(", ", sizes),
            ["files"] = "F = N, each inserted at a random home node",
            ["k, c, fanout"] = "ceil(sqrt N), 2, 3",
            ["convergence"] = string.Create(CultureInfo.InvariantCulture, $"gossip rounds until every view, contact set and group's filetuples are complete (at most {maxRounds})"),
        });
    }
}
