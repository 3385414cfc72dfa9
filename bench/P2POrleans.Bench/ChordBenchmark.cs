using System.Diagnostics;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Bench;

/// <summary>
/// The Chord measurements (docs/chord.md): path length against ½·log2 N, lookups after half the peers
/// crash, keys per host with virtual nodes, lookup throughput against the raw-call baseline, memory per peer.
/// </summary>
public sealed class ChordBenchmark : IMacroBenchmark
{
    public string Name => "chord";

    public string Description => "path length, failures, load balance, throughput and memory of Chord";

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        if (RawCallsBenchmark.ConcurrentCallsPerSecond == 0)
        {
            await new RawCallsBenchmark().RunAsync(host, report, cancellationToken);
        }

        LoadBalance(report);
        for (var exp = 8; exp <= 14; exp++)
        {
            await PathLengthAsync(host, report, 1 << exp, 10_000, successors: 8);
        }

        // Fingers alone (r = 1), as in the paper's simulator: the successor list no longer shortens the last hops.
        foreach (var exp in new[] { 10, 14 })
        {
            await PathLengthAsync(host, report, 1 << exp, 10_000, successors: 1);
        }

        await ThroughputAsync(host, report, 1_000);
        await ThroughputAsync(host, report, 10_000);
        await FailuresAsync(host, report, 2_048);
        await MemoryAsync(host, report, 100_000);
    }

    private static async Task<(IClusterClient Client, string Overlay, IReadOnlyList<NodeId> Members)> BuildAsync(BenchHost host, string overlay, int n, ChordParameters parameters)
    {
        await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(parameters);
        await host.Client.GetGrain<IChordOverlayGrain>(overlay).BuildConvergedAsync(n);
        return (host.Client, overlay, await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync());
    }

    private static async Task<List<LookupResult>> LookupsAsync(IClusterClient client, string overlay, IReadOnlyList<NodeId> initiators, int count, int seed, int concurrency = 64)
    {
        var random = new Random(seed);
        var work = Enumerable.Range(0, count).Select(i => (From: initiators[random.Next(initiators.Count)], Key: IdSpace.Sha1.Hash($"bench-key-{seed}-{i}"))).ToList();
        var results = new LookupResult[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                results[i] = await client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, work[i].From)).LookupAsync(work[i].Key, null);
            }
        }));
        return [.. results];
    }

    private static async Task PathLengthAsync(BenchHost host, BenchReport report, int n, int lookups, int successors)
    {
        var (client, overlay, members) = await BuildAsync(host, $"bench-path-{n}-r{successors}", n, new ChordParameters { Seed = n, Successors = successors, Replicas = 1 });
        var results = await LookupsAsync(client, overlay, members, lookups, n);
        var (mean, p1, _, p99, max) = Stats.Summary(results.Select(r => (double)r.Hops));
        var p = new Dictionary<string, object> { ["N"] = n, ["lookups"] = lookups, ["successors"] = successors };
        report.Add("chord-path", "mean hops", mean, "hops", p);
        report.Add("chord-path", "1st percentile hops", p1, "hops", p);
        report.Add("chord-path", "99th percentile hops", p99, "hops", p);
        report.Add("chord-path", "max hops", max, "hops", p);
        report.Add("chord-path", "paper: 1/2 log2 N", 0.5 * Math.Log2(n), "hops", p);
        report.Add("chord-path", "failed lookups", results.Count(r => !r.Success), "lookups", p);
        await client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
    }

    private static async Task ThroughputAsync(BenchHost host, BenchReport report, int n)
    {
        var (client, overlay, members) = await BuildAsync(host, $"bench-tput-{n}", n, new ChordParameters { Seed = 3 });
        await LookupsAsync(client, overlay, members, 5_000, 1); // warm
        var sw = Stopwatch.StartNew();
        var results = await LookupsAsync(client, overlay, members, 50_000, 2);
        var perSecond = results.Count / sw.Elapsed.TotalSeconds;
        var meanHops = results.Average(r => r.Hops);

        // Each hop is one grain call, plus the liveness ping of the owner (docs/architecture.md section 4).
        var messagesPerLookup = results.Average(r => r.Messages);
        var p = new Dictionary<string, object> { ["N"] = n, ["concurrency"] = 64 };
        report.Add("chord-throughput", "lookups/s", perSecond, "lookups/s", p);
        report.Add("chord-throughput", "mean hops", meanHops, "hops", p);
        report.Add("chord-throughput", "messages per lookup", messagesPerLookup, "calls", p);
        report.Add("chord-throughput", "lookups/s x mean hops / raw calls/s", perSecond * meanHops / RawCallsBenchmark.ConcurrentCallsPerSecond, "ratio", p);
        report.Add("chord-throughput", "lookups/s x messages / raw calls/s", perSecond * messagesPerLookup / RawCallsBenchmark.ConcurrentCallsPerSecond, "ratio", p);
        await client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
    }

    private static async Task FailuresAsync(BenchHost host, BenchReport report, int n)
    {
        var parameters = new ChordParameters { Seed = 17, Successors = 2 * (int)Math.Ceiling(Math.Log2(n)), Replicas = 1 };
        var (client, overlay, members) = await BuildAsync(host, "bench-fail", n, parameters);
        var random = new Random(5);
        var victims = members.OrderBy(_ => random.Next()).Take(n / 2).ToHashSet();
        foreach (var v in victims)
        {
            await client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, v)).FailAsync();
        }

        var live = members.Where(m => !victims.Contains(m)).ToList();
        var ideal = new IdealRing(IdSpace.Sha1, live);
        var p = new Dictionary<string, object> { ["N"] = n, ["failed"] = "50%", ["successors"] = parameters.Successors };
        foreach (var phase in new[] { "before stabilization", "after 30 rounds" })
        {
            if (phase.StartsWith("after", StringComparison.Ordinal))
            {
                await client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(30);
            }

            var results = await LookupsAsync(client, overlay, live, 5_000, 9);
            var failed = results.Count(r => !r.Success);
            var wrong = results.Count(r => r.Success && r.Owner != ideal.Successor(r.Key));
            report.Add("chord-failures", $"lookups failed ({phase})", (double)failed / results.Count, "fraction", p);
            report.Add("chord-failures", $"wrong owner ({phase})", (double)wrong / results.Count, "fraction", p);
            report.Add("chord-failures", $"mean hops ({phase})", results.Average(r => r.Hops), "hops", p);
            report.Add("chord-failures", $"dead hops skipped per lookup ({phase})", results.Average(r => r.DeadHopsSkipped), "hops", p);
        }

        await client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
    }

    /// <summary>Chord section 6.2: keys per host for 10^4 hosts and 10^5 keys, with v virtual nodes per host (pure ring arithmetic).</summary>
    private static void LoadBalance(BenchReport report)
    {
        const int hosts = 10_000;
        foreach (var keys in new[] { 100_000, 1_000_000 })
        foreach (var v in new[] { 1, 2, 5, 10, 20 })
        {
            var parameters = new ChordParameters { VirtualNodes = v, Seed = 1 };
            var addresses = ChordHosts.Addresses(parameters, 0, hosts).ToList();
            var hostOf = addresses.ToDictionary(a => a.Id, a => a.Address.Split('#')[0]);
            var ring = new IdealRing(IdSpace.Sha1, addresses.Select(a => a.Id));
            var perHost = new Dictionary<string, int>();
            for (var k = 0; k < keys; k++)
            {
                var owner = hostOf[ring.Successor(IdSpace.Sha1.Hash("key-" + k))];
                perHost[owner] = perHost.GetValueOrDefault(owner) + 1;
            }

            var counts = addresses.Select(a => a.Address.Split('#')[0]).Distinct().Select(h => (double)perHost.GetValueOrDefault(h)).ToList();
            var (mean, p1, _, p99, _) = Stats.Summary(counts);
            var p = new Dictionary<string, object> { ["hosts"] = hosts, ["keys"] = keys, ["vnodes"] = v };
            report.Add("chord-load", "keys per host, mean", mean, "keys", p);
            report.Add("chord-load", "keys per host, 1st percentile", p1, "keys", p);
            report.Add("chord-load", "keys per host, 99th percentile", p99, "keys", p);
            report.Add("chord-load", "99th percentile / mean", p99 / mean, "ratio", p);
        }
    }

    private static async Task MemoryAsync(BenchHost host, BenchReport report, int n)
    {
        // Protocol state alone: the peer's pure objects with ideal 160-bit state, r = 8.
        var parameters = new ChordParameters { Seed = 23, Successors = 8 };
        var ids = ChordHosts.Addresses(parameters, 0, n).Select(a => a.Id).ToList();
        var ring = new IdealRing(IdSpace.Sha1, ids);
        var states = ids.Select(id => (ring.SuccessorList(id, 8), ring.Fingers(id))).ToList();
        var before = BenchHost.HeapBytes();
        var nodes = new List<object>(n);
        foreach (var (id, (succ, fingers)) in ids.Zip(states))
        {
            var list = new SuccessorList(id, 8);
            list.Replace(succ);
            var table = new FingerTable(IdSpace.Sha1, id);
            table.Replace(fingers);
            nodes.Add((list, table, new KeyValueStore()));
        }

        var protocol = (BenchHost.HeapBytes() - before) / (double)n;
        GC.KeepAlive(nodes);
        nodes.Clear();
        states.Clear();
        var p = new Dictionary<string, object> { ["N"] = n, ["bits"] = 160, ["successors"] = 8 };
        report.Add("chord-memory", "protocol state per peer (successor list, fingers, empty store)", protocol, "bytes", p);
        report.Add("chord-memory", "distinct fingers per peer (mean)", ring.Ids.Take(1000).Average(id => ring.Fingers(id).Count), "entries", p);

        before = BenchHost.HeapBytes();
        await host.Client.GetGrain<IOverlayRegistryGrain>("bench-memory").CreateAsync(parameters);
        await host.Client.GetGrain<IChordOverlayGrain>("bench-memory").BuildConvergedAsync(n);
        var whole = (BenchHost.HeapBytes() - before) / (double)n;
        report.Add("chord-memory", "whole activation per peer (grain, Orleans bookkeeping, state)", whole, "bytes", p);
        await host.Client.GetGrain<IOverlayRegistryGrain>("bench-memory").DeleteAsync();
    }
}
