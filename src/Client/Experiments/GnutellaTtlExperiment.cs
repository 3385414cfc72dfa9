using System.Globalization;
using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Experiments;

/// <summary>Gnutella flooding cost and reach against TTL; FastTrack and Napster on the same peers, links and files; Ping/Pong share with and without pong caching.</summary>
public sealed class GnutellaTtlExperiment : IExperiment
{
    public string Name => "gnutella-ttl";

    public string Description => "Messages per query and hit rate against TTL (1..7) for Gnutella 0.4 on a random 4-regular graph, the same queries through FastTrack (supernode TTL 1..3) and Napster (central index), and the Ping/Pong share of a ping-and-query mix with and without pong caching.";

    public string Paper => "Gnutella 0.4 protocol and Ripeanu (2001), Ritter (2001): flooding costs grow about as degree x (degree-1)^(TTL-1) until the graph is covered, and hit rate saturates once the flood reaches most peers; Ping/Pong made up most of the traffic until pong caching; FastTrack floods only among supernodes and Napster answers from one index in 2 messages.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var peers = context.Pick(100, 1_000, 10_000);
        var queryCount = context.Pick(20, 60, 30);
        var titles = context.Pick(200, 1_000, 1_000);
        var pingsPerRound = context.Pick(4, 100, 100);
        var queriesPerRound = context.Pick(2, 20, 20);
        const int mixRounds = 5;
        var table = new ExperimentTable("system", "workload", "peers", "ttl", "queries", "messages_per_query", "reached_per_query", "hit_rate", "hops_to_first_hit", "ping_pong_share");

        T Shared<T>(T template)
            where T : UnstructuredParameters =>
            (T)(template with { Topology = TopologyKind.Random, Peers = peers, Degree = 4, FreeRiders = 0.5, FilesPerPeer = 10, Titles = titles, Seed = context.Seed });

        var world = UnstructuredWorld.Build(Shared(new GnutellaParameters()));
        var random = SeededRandom.Create(context.Seed, "gnutella-ttl-workload");
        var workload = world.SampleQueries(queryCount, random).Select(q => (Query: q, From: random.Next(peers))).ToList();
        var steps = 7 + 3 + 1 + 2;
        var step = 0;

        async Task MeasureAsync(string system, int ttl, Func<int, string, Task<QueryOutcome>> search)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Progress((double)step++ / steps, $"{system}, TTL {ttl}");
            var outcomes = new List<QueryOutcome>();
            foreach (var (query, from) in workload)
            {
                outcomes.Add(await search(from, query));
            }

            var firstHops = outcomes.Where(o => o.HopsToFirstHit is not null).Select(o => (double)o.HopsToFirstHit!.Value).DefaultIfEmpty(double.NaN).Average();
            var total = outcomes.Aggregate(DescriptorCounts.Zero, (a, o) => a + o.Messages);
            table.Add(system, "query", peers, ttl, outcomes.Count, outcomes.Average(o => (double)o.MessageCount), outcomes.Average(o => (double)o.Reached.Count),
                outcomes.Count(o => o.Hits.Count > 0) / (double)outcomes.Count, firstHops, total.Total == 0 ? 0.0 : (total.Ping + total.Pong) / (double)total.Total);
        }

        var gnutella = context.NewOverlayName(Name);
        await context.Client.GetGrain<IGnutellaOverlayGrain>(gnutella).CreateAsync(Shared(new GnutellaParameters()));
        for (var ttl = 1; ttl <= 7; ttl++)
        {
            var t = ttl;
            await MeasureAsync("gnutella", t, (from, q) => context.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(gnutella, from)).QueryAsync(q, t));
        }

        var fastTrack = context.NewOverlayName(Name);
        await context.Client.GetGrain<IFastTrackOverlayGrain>(fastTrack).CreateAsync(Shared(new FastTrackParameters()));
        var supernodes = (await context.Client.GetGrain<IFastTrackOverlayGrain>(fastTrack).SupernodesAsync()).Count;
        for (var ttl = 1; ttl <= 3; ttl++)
        {
            var t = ttl;
            await MeasureAsync("fasttrack", t, (from, q) => context.Client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(fastTrack, from)).SearchAsync(q, t));
        }

        var napster = context.NewOverlayName(Name);
        await context.Client.GetGrain<INapsterOverlayGrain>(napster).CreateAsync(Shared(new NapsterParameters()));
        await MeasureAsync("napster", 0, (from, q) => context.Client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(napster, from)).SearchAsync(q));
        foreach (var overlay in new[] { gnutella, fastTrack, napster })
        {
            await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        }

        // Ping/Pong share: each round some peers ping (TTL 7) and some search (TTL 5), then one clock round.
        foreach (var caching in new[] { false, true })
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Progress((double)step++ / steps, caching ? "ping mix, pong caching" : "ping mix");
            var overlay = context.NewOverlayName(Name);
            var parameters = Shared(new GnutellaParameters()) with { PongCaching = caching };
            await context.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(parameters);
            var mix = SeededRandom.Create(context.Seed, "gnutella-ttl-mix");
            var queries = world.SampleQueries(mixRounds * queriesPerRound, mix);
            var total = DescriptorCounts.Zero;
            var outcomes = new List<QueryOutcome>();
            for (var round = 0; round < mixRounds; round++)
            {
                for (var i = 0; i < pingsPerRound; i++)
                {
                    total += (await context.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, mix.Next(peers))).PingAsync(7)).Messages;
                }

                for (var i = 0; i < queriesPerRound; i++)
                {
                    var outcome = await context.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, mix.Next(peers))).QueryAsync(queries[(round * queriesPerRound) + i], 5);
                    outcomes.Add(outcome);
                    total += outcome.Messages;
                }

                await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(1);
            }

            var firstHops = outcomes.Where(o => o.HopsToFirstHit is not null).Select(o => (double)o.HopsToFirstHit!.Value).DefaultIfEmpty(double.NaN).Average();
            table.Add("gnutella", caching ? "ping-mix-pong-cache" : "ping-mix", peers, 5, outcomes.Count, total.Total / (double)outcomes.Count, outcomes.Average(o => (double)o.Reached.Count),
                outcomes.Count(o => o.Hits.Count > 0) / (double)outcomes.Count, firstHops, (total.Ping + total.Pong) / (double)total.Total);
            await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        }

        var rows = table.Rows.Select(r => (System: (string)r[0], Workload: (string)r[1], Ttl: (int)r[3], Messages: (double)r[5], Reached: (double)r[6], Hit: (double)r[7], Share: (double)r[9])).ToList();
        var gn = rows.Where(r => r.System == "gnutella" && r.Workload == "query").ToList();
        var ft = rows.Where(r => r.System == "fasttrack").ToList();
        var np = rows.Single(r => r.System == "napster");
        var mixOff = rows.Single(r => r.Workload == "ping-mix");
        var mixOn = rows.Single(r => r.Workload == "ping-mix-pong-cache");
        var figure = new ExperimentFigure("Gnutella: messages per query against TTL (log10)", "TTL", "log10 messages per query",
        [
            new("gnutella", gn.Select(r => (double)r.Ttl).ToList(), gn.Select(r => Math.Log10(Math.Max(1, r.Messages))).ToList()),
            new($"fasttrack ({supernodes} supernodes)", ft.Select(r => (double)r.Ttl).ToList(), ft.Select(r => Math.Log10(Math.Max(1, r.Messages))).ToList()),
            new("napster (no TTL)", [1, 7], [Math.Log10(Math.Max(1, np.Messages)), Math.Log10(Math.Max(1, np.Messages))]),
            new("gnutella hit rate (0..1)", gn.Select(r => (double)r.Ttl).ToList(), gn.Select(r => r.Hit).ToList()),
        ]);
        var best = gn.Max(r => r.Hit);
        var saturated = gn.First(r => r.Hit >= best);
        var growth = string.Join(", ", gn.Zip(gn.Skip(1)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Second.Messages / p.First.Messages:F1}x")));
        var comparison = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Gnutella: {gn[0].Messages:F1} messages per query at TTL 1, {gn[^1].Messages:F1} at TTL 7 ({peers} peers, degree 4); growth per TTL step {growth} (a tree of degree 4 grows 3x)."),
            string.Create(CultureInfo.InvariantCulture, $"The hit rate rises from {gn[0].Hit:P0} to {best:P0}, reached at TTL {saturated.Ttl}, where a query reaches {saturated.Reached:F0} of {peers} peers ({saturated.Reached / peers:P0}); {HitRateTail(saturated.Ttl, gn[^1].Ttl, gn[^1].Reached, best)}{NapsterTail(np.Hit, best)}."),
            string.Create(CultureInfo.InvariantCulture, $"FastTrack ({supernodes} supernodes): {ft[^1].Messages:F1} messages per query and {ft[^1].Hit:P0} hits at TTL 3; Napster: {np.Messages:F1} messages per query and {np.Hit:P0} hits (the index sees every shared file)."),
            string.Create(CultureInfo.InvariantCulture, $"Ping/Pong share of a mix of {pingsPerRound} pings (TTL 7) and {queriesPerRound} queries (TTL 5) per round for {mixRounds} rounds: {mixOff.Share:P1} without pong caching, {mixOn.Share:P1} with it; total messages per query {mixOff.Messages:F0} against {mixOn.Messages:F0}."),
        };
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["peers"] = peers.ToString(CultureInfo.InvariantCulture),
            ["topology"] = "random 4-regular graph",
            ["files"] = string.Create(CultureInfo.InvariantCulture, $"10 per sharing peer, 50% free riders, {titles} Zipf titles"),
            ["queries per system and TTL"] = queryCount.ToString(CultureInfo.InvariantCulture),
            ["hops_to_first_hit"] = "NaN when no query hit",
            ["ping mix"] = "messages_per_query there counts every message of the mix (pings included) per query",
        });
    }

    /// <summary>What the hit rate does past the TTL where it peaked, said only as the rows show it.</summary>
    internal static string HitRateTail(int peakTtl, int lastTtl, double lastReached, double best) =>
        peakTtl < lastTtl ? string.Create(CultureInfo.InvariantCulture, $"TTL {lastTtl} reaches {lastReached:F0} and finds no more")
        : best >= 1 ? "every query found a copy by then"
        : "it is still growing at the largest TTL";

    internal static string NapsterTail(double napsterHit, double best) =>
        best >= 1 ? string.Empty
        : napsterHit <= best ? string.Create(CultureInfo.InvariantCulture, $"; Napster's complete index finds {napsterHit:P0} too, so the queries still missed ask for titles nobody shares")
        : string.Create(CultureInfo.InvariantCulture, $"; Napster's complete index finds {napsterHit:P0}, so the flood misses copies that exist");
}
