using System.Globalization;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Client.Experiments;

/// <summary>Pastry section 3.2 (figure 7): route latency over the direct latency, with and without proximity neighbour selection.</summary>
public sealed class PastryStretchExperiment : IExperiment
{
    public string Name => "pastry-stretch";

    public string Description => "Route stretch: RTTs summed along the route over the direct RTT from the source to the destination (network model), with proximity neighbour selection (the lowest-RTT candidate in every routing-table slot) and without (a seeded random candidate).";

    public string Paper => "Rowstron and Druschel (Middleware 2001, section 3.2, figure 7): with proximity-aware routing tables the route distance is about 1.3-1.4 times the direct distance (about 30-40% over the direct path); without locality the routes are much longer (the paper's 'no locality' curve is far above).";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        int[] sizes = context.Pick<int[]>([200], [1_000, 5_000], [1_000, 10_000, 100_000]);
        var lookups = context.Pick(300, 3_000, 10_000);
        var table = new ExperimentTable("n", "proximity", "lookups", "mean_hops", "mean_stretch", "p50_stretch", "p99_stretch", "mean_route_rtt_ms", "mean_direct_rtt_ms", "wrong_or_failed");
        var step = 0;
        var halves = new List<(double Near, double Far)>();
        foreach (var n in sizes)
        {
            foreach (var proximity in new[] { true, false })
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.Progress((double)step++ / (2 * sizes.Length), string.Create(CultureInfo.InvariantCulture, $"N = {n}, proximity {(proximity ? "on" : "off")}"));
                var parameters = new PastryParameters { Seed = context.Seed, ProximitySelection = proximity };
                var (overlay, members) = await PastryExperimentSupport.BuildAsync(context, Name, parameters, n);

                // The same keys and initiators with and without proximity: the stream names only N.
                var results = await PastryExperimentSupport.LookupsAsync(context, overlay, parameters, members, lookups, string.Create(CultureInfo.InvariantCulture, $"stretch-{n}"));
                var live = new PastryIdIndex(members, parameters);
                var network = new NetworkModel(parameters.Seed);
                var routed = results.Where(r => r.Success && r.Owner != r.Path[0].Node).ToList();
                var stretch = routed.Select(r => PastryExperimentSupport.RouteRtt(network, r) / network.Rtt(r.Path[0].Node, r.Owner)).ToList();
                if (proximity)
                {
                    // Mean stretch of the routes whose direct RTT is below / above the median direct RTT.
                    var byDirect = routed.Select((r, i) => (Direct: network.Rtt(r.Path[0].Node, r.Owner), Stretch: stretch[i])).OrderBy(x => x.Direct).ToList();
                    halves.Add((byDirect.Take(byDirect.Count / 2).Average(x => x.Stretch), byDirect.Skip(byDirect.Count / 2).Average(x => x.Stretch)));
                }

                table.Add(members.Count, proximity ? 1 : 0, lookups, results.Average(r => (double)r.Hops), stretch.Average(),
                    Percentile.NearestRank(stretch, 50), Percentile.NearestRank(stretch, 99),
                    routed.Average(r => PastryExperimentSupport.RouteRtt(network, r)), routed.Average(r => network.Rtt(r.Path[0].Node, r.Owner)),
                    results.Count(r => !r.Success || r.Owner != live.NumericallyClosest(r.Key)));
                await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
            }
        }

        var rows = table.Rows.Select(r => (N: (int)r[0], Pns: (int)r[1] == 1, Hops: (double)r[3], Mean: (double)r[4], P50: (double)r[5], P99: (double)r[6], Route: (double)r[7], Direct: (double)r[8])).ToList();
        var on = rows.Where(r => r.Pns).ToList();
        var off = rows.Where(r => !r.Pns).ToList();
        var figure = new ExperimentFigure("Pastry: route stretch with and without proximity selection", "log10 N", "route RTT / direct RTT",
        [
            new("mean, proximity selection", on.Select(r => Math.Log10(r.N)).ToList(), on.Select(r => r.Mean).ToList()),
            new("median, proximity selection", on.Select(r => Math.Log10(r.N)).ToList(), on.Select(r => r.P50).ToList()),
            new("mean, no proximity", off.Select(r => Math.Log10(r.N)).ToList(), off.Select(r => r.Mean).ToList()),
            new("median, no proximity", off.Select(r => Math.Log10(r.N)).ToList(), off.Select(r => r.P50).ToList()),
            new("paper: about 1.3-1.4", on.Select(r => Math.Log10(r.N)).ToList(), on.Select(_ => 1.35).ToList()),
        ]);
        var comparison = new List<string>();
        foreach (var ((with, without), half) in on.Zip(off).Zip(halves))
        {
            comparison.Add(string.Create(CultureInfo.InvariantCulture,
                $"N = {with.N}: mean stretch {with.Mean:F2} with proximity selection (median {with.P50:F2}, 99th pct {with.P99:F2}) against {without.Mean:F2} without (median {without.P50:F2}); mean hops {with.Hops:F2} / {without.Hops:F2}; route RTT {with.Route:F0} ms / {without.Route:F0} ms over a direct {with.Direct:F0} ms."));
            comparison.Add(string.Create(CultureInfo.InvariantCulture,
                $"N = {with.N}, proximity selection: total route RTT over total direct RTT (ratio of the means) {with.Route / with.Direct:F2}, against {with.Mean:F2} for the mean of the per-route ratios; routes whose direct RTT is below the median have mean stretch {half.Near:F2}, those above {half.Far:F2}{(half.Near > half.Far ? ", so short routes pull the mean of ratios up" : "")}."));
        }

        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["N"] = string.Join(", ", sizes),
            ["lookups per N and setting"] = lookups.ToString(CultureInfo.InvariantCulture),
            ["b, |L|, |M|, m"] = "4, 16, 32, 128",
            ["network model"] = "points on a 1000 x 1000 plane from (seed, id); RTT = 2 x (1 ms + 0.1 ms per unit)",
            ["stretch"] = "sum of the RTTs between consecutive route nodes / RTT source-destination, over lookups whose destination is not the source",
        });
    }
}
