using System.Globalization;
using P2POrleans.Common;
using P2POrleans.Pastry;
using static P2POrleans.Client.Experiments.PastryExperimentSupport;

namespace P2POrleans.Client.Experiments;

/// <summary>
/// Pastry section 3.2 (the locality figure): the distance a route travels relative to the direct
/// distance, with and without proximity neighbour selection, on overlays built by the join protocol
/// and on oracle-built (converged) ones.
/// </summary>
public sealed class PastryStretchExperiment : IExperiment
{
    public string Name => "pastry-stretch";

    public string Description => "Route stretch on overlays built by Pastry's join protocol and on converged (oracle-built) ones, with proximity neighbour selection (the lowest-RTT candidate in every routing-table slot) and without (a seeded random candidate): relative distance = total distance travelled by the routes / total direct source-destination distance (network model plane), and the per-route RTT ratio.";

    public string Paper => "Rowstron and Druschel (Middleware 2001, section 3.2, the locality figure): with proximity-aware routing tables the distance a Pastry route travels is about 1.3-1.4 times the direct distance between source and destination (about 30-40% more); without locality the routes are much longer.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        int[] sizes = context.Pick<int[]>([200], [1_000, 10_000], [1_000, 10_000, 100_000]);
        var joinedUpTo = context.Pick(200, 10_000, 10_000);
        var lookups = context.Pick(300, 3_000, 10_000);
        var table = new ExperimentTable("n", "build", "proximity", "lookups", "mean_hops", "relative_distance", "mean_stretch", "p50_stretch", "p99_stretch",
            "mean_route_rtt_ms", "mean_direct_rtt_ms", "mean_route_distance", "mean_direct_distance", "wrong_or_failed");
        var runs = (from n in sizes
                    from build in new[] { Build.Converged, Build.Joined }
                    where build == Build.Converged || n <= joinedUpTo
                    from proximity in new[] { true, false }
                    select (N: n, Build: build, Proximity: proximity)).ToList();
        var halves = new Dictionary<(int, Build, bool), (double Near, double Far)>();
        for (var i = 0; i < runs.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var (n, build, proximity) = runs[i];
            var label = string.Create(CultureInfo.InvariantCulture, $"N = {n}, {PastryExperimentSupport.Name(build)}, proximity {(proximity ? "on" : "off")}");
            context.Progress((double)i / runs.Count, label);
            var parameters = context.Parameters(new PastryParameters { ProximitySelection = proximity });
            var (overlay, members) = await BuildAsync(context, Name, parameters, n, build, f => context.Progress((i + (0.9 * f)) / runs.Count, label));

            // The same keys and initiators for every build and setting: the stream names only N.
            var results = await LookupsAsync(context, overlay, parameters, members, lookups, string.Create(CultureInfo.InvariantCulture, $"stretch-{n}"));
            var live = new PastryIdIndex(members, parameters);
            var network = new NetworkModel(parameters.Seed);
            var routed = results.Where(r => r.Success && r.Owner != r.Path[0].Node).ToList();
            var stretch = routed.Select(r => RouteRtt(network, r) / network.Rtt(r.Path[0].Node, r.Owner)).ToList();
            var routeDistance = routed.Select(r => RouteDistance(network, r)).ToList();
            var directDistance = routed.Select(r => Distance(network, r.Path[0].Node, r.Owner)).ToList();

            // Mean RTT ratio of the routes whose direct RTT is below / above the median direct RTT.
            var byDirect = routed.Select((r, j) => (Direct: network.Rtt(r.Path[0].Node, r.Owner), Stretch: stretch[j])).OrderBy(x => x.Direct).ToList();
            halves[(n, build, proximity)] = (byDirect.Take(byDirect.Count / 2).Average(x => x.Stretch), byDirect.Skip(byDirect.Count / 2).Average(x => x.Stretch));

            table.Add(members.Count, PastryExperimentSupport.Name(build), proximity ? 1 : 0, lookups, results.Average(r => (double)r.Hops),
                routeDistance.Sum() / directDistance.Sum(), stretch.Average(), Percentile.NearestRank(stretch, 50), Percentile.NearestRank(stretch, 99),
                routed.Average(r => RouteRtt(network, r)), routed.Average(r => network.Rtt(r.Path[0].Node, r.Owner)),
                routeDistance.Average(), directDistance.Average(),
                results.Count(r => !r.Success || r.Owner != live.NumericallyClosest(r.Key)));
            await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        }

        var rows = table.Rows.Select(r => (N: (int)r[0], Build: (string)r[1], Pns: (int)r[2] == 1, Hops: (double)r[4], Relative: (double)r[5], Mean: (double)r[6], P50: (double)r[7], P99: (double)r[8],
            Route: (double)r[9], Direct: (double)r[10], Wrong: (int)r[13])).ToList();
        List<double> X(IEnumerable<int> ns) => [.. ns.Select(n => Math.Log10(n))];
        var figure = new ExperimentFigure("Pastry: relative distance (route / direct) against N", "log10 N", "route distance / direct distance",
        [
            .. from build in new[] { "joined", "converged" }
               from pns in new[] { true, false }
               let series = rows.Where(r => r.Build == build && r.Pns == pns).ToList()
               where series.Count > 0
               select new FigureSeries($"{build}, {(pns ? "proximity selection" : "no proximity")}", X(series.Select(r => r.N)), [.. series.Select(r => r.Relative)]),
            new("paper: about 1.3-1.4", X(sizes), [.. sizes.Select(_ => 1.35)]),
        ]);
        var comparison = new List<string>();
        foreach (var r in rows)
        {
            var (near, far) = halves[(r.N, r.Build == "joined" ? Build.Joined : Build.Converged, r.Pns)];
            comparison.Add(string.Create(CultureInfo.InvariantCulture,
                $"N = {r.N}, {r.Build}, {(r.Pns ? "proximity selection" : "no proximity")}: relative distance {r.Relative:F2}{(r.Pns ? PaperGap(r.Relative) : "")}; per-route RTT ratio mean {r.Mean:F2}, median {r.P50:F2}, 99th pct {r.P99:F2} (below-median direct RTT {near:F2}, above {far:F2}); mean hops {r.Hops:F2}; route RTT {r.Route:F0} ms over a direct {r.Direct:F0} ms; wrong or failed {r.Wrong}."));
        }

        foreach (var n in sizes)
        {
            var convergedOn = rows.Single(r => r.N == n && r.Build == "converged" && r.Pns);
            var convergedOff = rows.Single(r => r.N == n && r.Build == "converged" && !r.Pns);
            comparison.Add(string.Create(CultureInfo.InvariantCulture,
                $"N = {n}: proximity selection divides the relative distance by {convergedOff.Relative / convergedOn.Relative:F2} on the converged overlay, with mean hops {convergedOn.Hops:F2} against {convergedOff.Hops:F2}."));
            if (rows.SingleOrDefault(r => r.N == n && r.Build == "joined" && r.Pns) is { N: > 0 } joinedOn)
            {
                comparison.Add(string.Create(CultureInfo.InvariantCulture,
                    $"N = {n}: the join protocol's tables give relative distance {joinedOn.Relative:F2} against {convergedOn.Relative:F2} for the oracle's, and {joinedOn.Hops:F2} hops against {convergedOn.Hops:F2}."));
            }
        }

        var first = rows[0];
        var (firstNear, firstFar) = halves[(first.N, Build.Converged, first.Pns)];
        comparison.Add(string.Create(CultureInfo.InvariantCulture,
            $"Relative distance is the ratio of the total distances, one number per N as in the paper's curve. The other aggregates of the same routes (N = {first.N}, converged, proximity selection): total route RTT / total direct RTT {first.Route / first.Direct:F2} (each hop adds the model's 2 ms base RTT), mean of the per-route RTT ratios {first.Mean:F2} ({firstNear:F2} for the routes with below-median direct RTT, {firstFar:F2} above: short routes have large ratios)."));
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["N"] = string.Join(", ", sizes),
            ["builds"] = string.Create(CultureInfo.InvariantCulture, $"converged at every N; joined (one by one through the join protocol, each joiner bootstrapping through the nearest of 4 random members, no maintenance round after) at N <= {joinedUpTo}"),
            ["lookups per run"] = lookups.ToString(CultureInfo.InvariantCulture),
            ["b, |L|, |M|, m"] = "4, 16, 32, 128",
            ["network model"] = "points on a 1000 x 1000 plane from (seed, id); RTT = 2 x (1 ms + 0.1 ms per unit)",
            ["relative_distance"] = "sum over routed lookups of the Euclidean distance travelled hop by hop / sum of the direct source-destination distances (lookups whose destination is not the source)",
            ["mean_stretch"] = "mean over the same lookups of (RTTs summed along the route / direct RTT)",
        });
    }

    private static string PaperGap(double relative) => Math.Round(relative, 2) switch
    {
        < 1.3 => string.Create(CultureInfo.InvariantCulture, $" ({(relative - 1.3) / 1.3:+0%;-0%} against the paper's 1.3)"),
        > 1.4 => string.Create(CultureInfo.InvariantCulture, $" ({(relative - 1.4) / 1.4:+0%;-0%} against the paper's 1.4)"),
        _ => " (within the paper's 1.3-1.4)",
    };
}
