using System.Diagnostics;
using System.Globalization;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Bench;

/// <summary>
/// The Pastry measurements (docs/pastry.md): hops and their distribution against ceil(log_16 N), route
/// stretch with and without proximity neighbour selection, lookups after 10% of peers crash (before
/// and after repair), lookup throughput against the raw-call baseline, memory per peer.
/// </summary>
public sealed class PastryBenchmark : IMacroBenchmark
{
    public string Name => "pastry";

    public string Description => "hops, stretch, failures, throughput and memory of Pastry";

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        if (RawCallsBenchmark.ConcurrentCallsPerSecond == 0)
        {
            await new RawCallsBenchmark().RunAsync(host, report, cancellationToken);
        }

        await PathLengthAsync(host, report, 1_000, 10_000, proximity: true);
        await PathLengthAsync(host, report, 10_000, 10_000, proximity: true);
        await PathLengthAsync(host, report, 10_000, 10_000, proximity: false);
        await ThroughputAsync(host, report, 1_000);
        await ThroughputAsync(host, report, 10_000);
        await FailuresAsync(host, report, 10_000);
        MemoryOfState(report, 10_000);
        await PathLengthAsync(host, report, 100_000, 10_000, proximity: true, measureMemory: true);
    }

    private static async Task<(IClusterClient Client, string Overlay, IReadOnlyList<NodeId> Members)> BuildAsync(BenchHost host, string overlay, int n, PastryParameters parameters)
    {
        await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(parameters);
        await host.Client.GetGrain<IPastryOverlayGrain>(overlay).BuildConvergedAsync(n);
        return (host.Client, overlay, await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync());
    }

    private static async Task<List<LookupResult>> LookupsAsync(IClusterClient client, string overlay, PastryParameters parameters, IReadOnlyList<NodeId> initiators, int count, int seed, int concurrency = 64)
    {
        var random = new Random(seed);
        var work = Enumerable.Range(0, count).Select(i => (From: initiators[random.Next(initiators.Count)], Key: parameters.Space.Hash($"bench-key-{seed}-{i}"))).ToList();
        var results = new LookupResult[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                results[i] = await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, work[i].From)).LookupAsync(work[i].Key, null);
            }
        }));
        return [.. results];
    }

    /// <summary>Mean hops, hop distribution and route stretch (sum of the RTTs along the route / direct RTT to the destination).</summary>
    private static async Task PathLengthAsync(BenchHost host, BenchReport report, int n, int lookups, bool proximity, bool measureMemory = false)
    {
        var parameters = new PastryParameters { Seed = n, ProximitySelection = proximity };
        var overlay = $"bench-pastry-{n}-{(proximity ? "pns" : "random")}";
        var heapBefore = measureMemory ? BenchHost.HeapBytes() : 0;
        var built = Stopwatch.StartNew();
        var (client, _, members) = await BuildAsync(host, overlay, n, parameters);
        var buildSeconds = built.Elapsed.TotalSeconds;
        var p = new Dictionary<string, object> { ["N"] = n, ["b"] = 4, ["L"] = 16, ["proximity"] = proximity, ["lookups"] = lookups };
        if (measureMemory)
        {
            report.Add("pastry-memory", "whole activation per peer (grain, Orleans bookkeeping, state)", (BenchHost.HeapBytes() - heapBefore) / (double)n, "bytes", p);
        }

        report.Add("pastry-path", "converged build time", buildSeconds, "s", p);
        var results = await LookupsAsync(client, overlay, parameters, members, lookups, n);
        var live = new PastryIdIndex(members, parameters);
        var (mean, _, p50, p99, max) = Stats.Summary(results.Select(r => (double)r.Hops));
        report.Add("pastry-path", "mean hops", mean, "hops", p);
        report.Add("pastry-path", "median hops", p50, "hops", p);
        report.Add("pastry-path", "99th percentile hops", p99, "hops", p);
        report.Add("pastry-path", "max hops", max, "hops", p);
        report.Add("pastry-path", "paper bound: ceil(log_16 N)", Math.Ceiling(Math.Log(n, 16)), "hops", p);
        report.Add("pastry-path", "wrong or failed lookups", results.Count(r => !r.Success || r.Owner != live.NumericallyClosest(r.Key)), "lookups", p);
        foreach (var group in results.GroupBy(r => r.Hops).OrderBy(g => g.Key))
        {
            report.Add("pastry-path", string.Create(CultureInfo.InvariantCulture, $"fraction with {group.Key} hops"), (double)group.Count() / results.Count, "fraction", p);
        }

        var network = new NetworkModel(parameters.Seed);
        var stretches = results
            .Where(r => r.Success && r.Owner != r.Path[0].Node)
            .Select(r => RouteRtt(network, r) / network.Rtt(r.Path[0].Node, r.Owner))
            .ToList();
        var (sMean, _, sMedian, s99, _) = Stats.Summary(stretches);
        report.Add("pastry-stretch", "mean stretch (route RTT / direct RTT)", sMean, "ratio", p);
        report.Add("pastry-stretch", "median stretch", sMedian, "ratio", p);
        report.Add("pastry-stretch", "99th percentile stretch", s99, "ratio", p);
        report.Add("pastry-stretch", "mean route RTT", results.Where(r => r.Success).Average(r => RouteRtt(network, r)), "ms", p);
        await client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
    }

    /// <summary>The latency of the route as the paper measures it: RTTs summed hop by hop along the path.</summary>
    private static double RouteRtt(NetworkModel network, LookupResult r)
    {
        var total = 0.0;
        for (var i = 1; i < r.Path.Count; i++)
        {
            total += network.Rtt(r.Path[i - 1].Node, r.Path[i].Node);
        }

        return total;
    }

    private static async Task ThroughputAsync(BenchHost host, BenchReport report, int n)
    {
        var parameters = new PastryParameters { Seed = 3 };
        var overlay = $"bench-pastry-tput-{n}";
        var (client, _, members) = await BuildAsync(host, overlay, n, parameters);
        await LookupsAsync(client, overlay, parameters, members, 5_000, 1); // warm
        var sw = Stopwatch.StartNew();
        var results = await LookupsAsync(client, overlay, parameters, members, 50_000, 2);
        var perSecond = results.Count / sw.Elapsed.TotalSeconds;
        var meanHops = results.Average(r => r.Hops);

        // Each hop is one grain call (the initiator's own step is local).
        var messagesPerLookup = results.Average(r => r.Messages);
        var p = new Dictionary<string, object> { ["N"] = n, ["concurrency"] = 64 };
        report.Add("pastry-throughput", "lookups/s", perSecond, "lookups/s", p);
        report.Add("pastry-throughput", "mean hops", meanHops, "hops", p);
        report.Add("pastry-throughput", "messages per lookup", messagesPerLookup, "calls", p);
        report.Add("pastry-throughput", "lookups/s x messages / raw calls/s", perSecond * messagesPerLookup / RawCallsBenchmark.ConcurrentCallsPerSecond, "ratio", p);
        await client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
    }

    /// <summary>10% of the peers crash at once: lookups from live peers, before and after rounds of repair.</summary>
    private static async Task FailuresAsync(BenchHost host, BenchReport report, int n)
    {
        var parameters = new PastryParameters { Seed = 17 };
        var overlay = "bench-pastry-fail";
        var (client, _, members) = await BuildAsync(host, overlay, n, parameters);
        var random = new Random(5);
        var victims = members.OrderBy(_ => random.Next()).Take(n / 10).ToHashSet();
        foreach (var v in victims)
        {
            await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, v)).FailAsync();
        }

        var live = members.Where(m => !victims.Contains(m)).ToList();
        var ideal = new PastryIdIndex(live, parameters);
        var p = new Dictionary<string, object> { ["N"] = n, ["failed"] = "10%", ["lookups"] = 5_000 };
        var control = client.GetGrain<IPastryOverlayGrain>(overlay);
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        var rounds = 0;
        foreach (var target in new[] { 0, 1, 3 })
        {
            var phase = target == 0 ? "before repair" : $"after {target} round{(target > 1 ? "s" : "")}";
            if (target > rounds)
            {
                var sw = Stopwatch.StartNew();
                await StepAsync(client, overlay, registry, target - rounds);
                report.Add("pastry-failures", $"time of rounds {rounds + 1}..{target}", sw.Elapsed.TotalSeconds, "s", p);
                rounds = target;
            }

            // The same keys and initiators in every phase; the first phase meets the dead entries.
            var results = await LookupsAsync(client, overlay, parameters, live, 5_000, 9);
            var failed = results.Count(r => !r.Success);
            var wrong = results.Count(r => r.Success && r.Owner != ideal.NumericallyClosest(r.Key));
            report.Add("pastry-failures", $"lookups correct ({phase})", (double)(results.Count - failed - wrong) / results.Count, "fraction", p);
            report.Add("pastry-failures", $"lookups failed ({phase})", (double)failed / results.Count, "fraction", p);
            report.Add("pastry-failures", $"wrong destination ({phase})", (double)wrong / results.Count, "fraction", p);
            report.Add("pastry-failures", $"mean hops ({phase})", results.Average(r => r.Hops), "hops", p);
            report.Add("pastry-failures", $"dead hops skipped per lookup ({phase})", results.Average(r => r.DeadHopsSkipped), "hops", p);
            if (target > 0)
            {
                var check = await control.CheckAsync();
                report.Add("pastry-failures", $"leaf sets exact ({phase})", check.Truth.LeafSetCorrectFraction, "fraction", p);
                report.Add("pastry-failures", $"stale routing entries ({phase})", check.Truth.StaleEntries, "entries", p);
            }
        }

        await registry.DeleteAsync();
    }

    /// <summary>
    /// Rounds as the registry's StepAsync runs them (every live member's periodic work, in id order),
    /// driven from here so that a long round is not bound by one call's response timeout.
    /// </summary>
    private static async Task StepAsync(IClusterClient client, string overlay, IOverlayRegistryGrain registry, int rounds)
    {
        for (var r = 0; r < rounds; r++)
        {
            foreach (var id in await registry.GetMembersAsync())
            {
                await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, id)).TickAsync(r);
            }
        }
    }

    /// <summary>Protocol state alone: the pure objects of converged 128-bit nodes (b = 4, |L| = 16, |M| = 32).</summary>
    private static void MemoryOfState(BenchReport report, int n)
    {
        var parameters = new PastryParameters { Seed = 23 };
        var network = new NetworkModel(parameters.Seed);
        var ids = Enumerable.Range(0, n).Select(i => parameters.Space.Hash("memory-" + i)).ToList();
        var ideal = new PastryIdealState(ids, parameters, network.Rtt, new Random(1));
        var before = BenchHost.HeapBytes();
        var states = new List<PastryRoutingState>(n);
        states.AddRange(ideal.States());
        var perPeer = (BenchHost.HeapBytes() - before) / (double)n;
        var sizes = states.Take(1_000).Select(s => s.Size()).ToList();
        GC.KeepAlive(states);
        var p = new Dictionary<string, object> { ["N"] = n, ["bits"] = 128, ["b"] = 4, ["L"] = 16, ["M"] = 32 };
        report.Add("pastry-memory", "protocol state per peer (leaf set, routing table, neighbourhood set)", perPeer, "bytes", p);
        report.Add("pastry-memory", "routing-table entries per peer (mean)", sizes.Average(s => s.RoutingTableEntries), "entries", p);
        report.Add("pastry-memory", "populated rows per peer (mean)", sizes.Average(s => s.RoutingTableRows), "rows", p);
        report.Add("pastry-memory", "distinct nodes known per peer (mean)", sizes.Average(s => s.DistinctNodes), "nodes", p);
    }
}
