using System.Diagnostics;
using System.Globalization;
using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Bench;

/// <summary>
/// The unstructured measurements (docs/gnutella.md) on the same peers and files: Gnutella messages per query and hit
/// rate against TTL on 1,000 and 10,000 peers; the Ping/Pong share of the traffic with and without
/// pong caching; the effect of query caching; FastTrack and Napster on the same workload.
/// </summary>
public sealed class UnstructuredBenchmark : IMacroBenchmark
{
    private const string Bench = "unstructured";
    private readonly List<string> _table = [];

    public string Name => Bench;

    public string Description => "Gnutella vs TTL, pong and query caching, FastTrack and Napster on the same peers and files";

    private static T Shared<T>(T template, int peers)
        where T : UnstructuredParameters =>
        (T)(template with { Topology = TopologyKind.Random, Peers = peers, Degree = 4, FreeRiders = 0.5, FilesPerPeer = 10, Titles = 1000, Seed = 42 });

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        _table.Add("| system | peers | TTL | messages / query | peers reached / query | hit rate | hops to first hit | ms / query |");
        _table.Add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (peers, queries) in new[] { (1_000, 60), (10_000, 20) })
        {
            var world = UnstructuredWorld.Build(Shared(new GnutellaParameters(), peers));
            var workload = world.SampleQueries(queries, new Random(7)).Select((q, i) => (Query: q, From: (i * 7919) % peers)).ToList();

            var gnutella = $"bench-gn-{peers}";
            await host.Client.GetGrain<IGnutellaOverlayGrain>(gnutella).CreateAsync(Shared(new GnutellaParameters(), peers));
            foreach (var ttl in new[] { 1, 2, 3, 4, 5, 6, 7 })
            {
                await MeasureAsync(report, "gnutella", peers, ttl, workload, (from, q) =>
                    host.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(gnutella, from)).QueryAsync(q, ttl));
            }

            var fastTrack = $"bench-ft-{peers}";
            await host.Client.GetGrain<IFastTrackOverlayGrain>(fastTrack).CreateAsync(Shared(new FastTrackParameters(), peers));
            var supernodes = (await host.Client.GetGrain<IFastTrackOverlayGrain>(fastTrack).SupernodesAsync()).Count;
            report.Add(Bench, "fasttrack supernodes", supernodes, "peers", new Dictionary<string, object> { ["peers"] = peers });
            foreach (var ttl in new[] { 1, 2, 3 })
            {
                await MeasureAsync(report, $"fasttrack ({supernodes} supernodes)", peers, ttl, workload, (from, q) =>
                    host.Client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(fastTrack, from)).SearchAsync(q, ttl));
            }

            var napster = $"bench-np-{peers}";
            await host.Client.GetGrain<INapsterOverlayGrain>(napster).CreateAsync(Shared(new NapsterParameters(), peers));
            await MeasureAsync(report, "napster", peers, 0, workload, (from, q) =>
                host.Client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(napster, from)).SearchAsync(q));

            foreach (var overlay in new[] { gnutella, fastTrack, napster })
            {
                await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
            }
        }

        await PongCachingAsync(host, report, 1_000);
        await QueryCachingAsync(host, report, 1_000);
        Console.WriteLine();
        foreach (var line in _table)
        {
            Console.WriteLine(line);
        }
    }

    private async Task MeasureAsync(BenchReport report, string system, int peers, int ttl, IReadOnlyList<(string Query, int From)> workload, Func<int, string, Task<QueryOutcome>> search)
    {
        var outcomes = new List<QueryOutcome>();
        var clock = Stopwatch.StartNew();
        foreach (var (query, from) in workload)
        {
            outcomes.Add(await search(from, query));
        }

        var ms = clock.Elapsed.TotalMilliseconds / workload.Count;
        var messages = outcomes.Average(o => (double)o.MessageCount);
        var reached = outcomes.Average(o => (double)o.Reached.Count);
        var hitRate = outcomes.Count(o => o.Hits.Count > 0) / (double)outcomes.Count;
        var firstHops = outcomes.Where(o => o.HopsToFirstHit is not null).Select(o => (double)o.HopsToFirstHit!.Value).DefaultIfEmpty(double.NaN).Average();
        var parameters = new Dictionary<string, object> { ["system"] = system, ["peers"] = peers, ["ttl"] = ttl, ["queries"] = workload.Count };
        report.Add(Bench, "messages per query", messages, "messages", parameters);
        report.Add(Bench, "peers reached per query", reached, "peers", parameters);
        report.Add(Bench, "hit rate", hitRate, "fraction", parameters);
        _table.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {system} | {peers:N0} | {(ttl == 0 ? "-" : ttl.ToString(CultureInfo.InvariantCulture))} | {messages:N1} | {reached:N1} | {hitRate:P0} | {firstHops:F2} | {ms:F1} |"));
    }

    /// <summary>Each round 100 peers ping (TTL 7) and 20 search (TTL 5), for 5 rounds; the Ping/Pong share of all messages.</summary>
    private async Task PongCachingAsync(BenchHost host, BenchReport report, int peers)
    {
        _table.Add("");
        _table.Add("| pong caching | peers | Ping + Pong messages | Query + QueryHit messages | Ping/Pong share | Pong transmissions per Ping |");
        _table.Add("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var caching in new[] { false, true })
        {
            var overlay = $"bench-pong-{caching}";
            var parameters = Shared(new GnutellaParameters(), peers) with { PongCaching = caching };
            await host.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(parameters);
            var world = UnstructuredWorld.Build(parameters);
            var queries = world.SampleQueries(100, new Random(3));
            var total = DescriptorCounts.Zero;
            var random = new Random(11);
            long pings = 0;
            for (var round = 0; round < 5; round++)
            {
                for (var i = 0; i < 100; i++)
                {
                    total += (await host.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, random.Next(peers))).PingAsync(7)).Messages;
                    pings++;
                }

                for (var i = 0; i < 20; i++)
                {
                    total += (await host.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, random.Next(peers))).QueryAsync(queries[(round * 20) + i], 5)).Messages;
                }

                await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(1);
            }

            var share = (total.Ping + total.Pong) / (double)total.Total;
            var p = new Dictionary<string, object> { ["pong_caching"] = caching, ["peers"] = peers };
            report.Add(Bench, "ping/pong share of messages", share, "fraction", p);
            report.Add(Bench, "ping+pong messages", total.Ping + total.Pong, "messages", p);
            var peersView = await host.Client.GetGrain<IGnutellaOverlayGrain>(overlay).PeersAsync();
            _table.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {(caching ? "on" : "off")} | {peers:N0} | {total.Ping + total.Pong:N0} | {total.Query + total.QueryHit:N0} | {share:P1} | {peersView.Sum(v => v.Received.Pong) / (double)pings:N0} |"));
            await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        }
    }

    /// <summary>200 Zipf-distributed queries (popular ones repeat) from random peers, TTL 7, with and without query caching.</summary>
    private async Task QueryCachingAsync(BenchHost host, BenchReport report, int peers)
    {
        _table.Add("");
        _table.Add("| query caching | peers | queries | messages / query | Query messages / query | hit rate |");
        _table.Add("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var caching in new[] { false, true })
        {
            var overlay = $"bench-qc-{caching}";
            var parameters = Shared(new GnutellaParameters(), peers) with { QueryCaching = caching };
            await host.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(parameters);
            var queries = UnstructuredWorld.Build(parameters).SampleQueries(200, new Random(5));
            var random = new Random(13);
            var outcomes = new List<QueryOutcome>();
            foreach (var q in queries)
            {
                outcomes.Add(await host.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, random.Next(peers))).QueryAsync(q, 7));
            }

            var messages = outcomes.Average(o => (double)o.MessageCount);
            var queryMessages = outcomes.Average(o => (double)o.Messages.Query);
            var hitRate = outcomes.Count(o => o.Hits.Count > 0) / (double)outcomes.Count;
            var p = new Dictionary<string, object> { ["query_caching"] = caching, ["peers"] = peers };
            report.Add(Bench, "messages per query", messages, "messages", p);
            report.Add(Bench, "hit rate", hitRate, "fraction", p);
            _table.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {(caching ? "on" : "off")} | {peers:N0} | {outcomes.Count} | {messages:N1} | {queryMessages:N1} | {hitRate:P0} |"));
            await host.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        }
    }
}
