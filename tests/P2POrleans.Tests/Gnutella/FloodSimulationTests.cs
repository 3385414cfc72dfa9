using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Testing.Unstructured;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Gnutella;

/// <summary>Many servents together: what a flood reaches, the reverse paths, Push, and the caches.</summary>
public sealed class FloodSimulationTests
{
    private static readonly TimeSpan T0 = TimeSpan.Zero;

    /// <summary>Hop distances by Floyd–Warshall over the edge list: a reference that shares no code with Bfs or the servents.</summary>
    private static int[,] AllPairsDistances(Topology topology)
    {
        var n = topology.NodeCount;
        const int inf = int.MaxValue / 4;
        var d = new int[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                d[i, j] = i == j ? 0 : inf;
            }
        }

        foreach (var (a, b) in topology.Edges())
        {
            d[a, b] = d[b, a] = 1;
        }

        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    d[i, j] = Math.Min(d[i, j], d[i, k] + d[k, j]);
                }
            }
        }

        return d;
    }

    public static Arbitrary<(int Seed, int Kind, int Nodes, int Origin, int Ttl)> Networks() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from kind in Gen.Choose(0, 3)
         from nodes in Gen.Choose(5, 45)
         from origin in Gen.Choose(0, 1000)
         from ttl in Gen.Choose(1, 7)
         select (seed, kind, nodes, origin, ttl)).ToArbitrary();

    private static Topology Build(int seed, int kind, int nodes) => kind switch
    {
        0 => TopologyGenerator.TernaryTree(nodes % 4),
        1 => TopologyGenerator.BarabasiAlbert(nodes, 1 + (seed % 3), new Random(seed)),
        2 => TopologyGenerator.RandomRegular(nodes + (nodes % 2), 3, new Random(seed)),
        _ => TopologyGenerator.BarabasiAlbert(nodes, 1, new Random(seed)), // a tree: one path to each node
    };

    private static IReadOnlyList<SharedLibrary> Libraries(int count, Func<int, bool> hasFile) =>
        Enumerable.Range(0, count)
            .Select(n => hasFile(n) ? new SharedLibrary([new SharedFile(7, 1000, $"needle {n}.mp3")]) : SharedLibrary.Empty)
            .ToArray();

    [Property(Arbitrary = [typeof(FloodSimulationTests)], MaxTest = 60)]
    public void A_query_with_ttl_t_reaches_exactly_the_ball_of_radius_t_and_hits_come_back_along_the_reverse_path(
        (int Seed, int Kind, int Nodes, int Origin, int Ttl) p)
    {
        var topology = Build(p.Seed, p.Kind, p.Nodes);
        var origin = p.Origin % topology.NodeCount;
        var distances = AllPairsDistances(topology);
        var libraries = Libraries(topology.NodeCount, n => n % 3 == 0);
        var sim = new GnutellaSimulator(topology, libraries, ServentOptions.Default, p.Seed);

        var result = sim.Query(origin, "needle", T0, (byte)p.Ttl);

        var ball = Enumerable.Range(0, topology.NodeCount).Where(n => distances[origin, n] <= p.Ttl).ToHashSet();
        Assert.True(ball.SetEquals(result.Reached), $"reached {result.Reached.Count}, ball {ball.Count}");
        Assert.True(result.Reached.SetEquals(Bfs.Ball(topology, origin, p.Ttl)));

        // the flood goes along shortest paths, and each hit retraces its query's path backwards
        foreach (var (node, path) in result.QueryPaths)
        {
            Assert.Equal(distances[origin, node], path.Count - 1);
        }

        var responders = ball.Where(n => n != origin && n % 3 == 0).ToHashSet();
        Assert.True(responders.SetEquals(result.Hits.Select(h => h.Responder)));
        foreach (var hit in result.Hits)
        {
            Assert.Equal(result.QueryPaths[hit.Responder].Reverse(), hit.Path);
        }

        Assert.Equal(responders.Count == 0 ? null : responders.Min(n => distances[origin, n]), result.HopsToFirstHit);
    }

    [Property(Arbitrary = [typeof(FloodSimulationTests)], MaxTest = 40)]
    public void No_descriptor_travels_with_ttl_zero_and_ttl_plus_hops_stays_the_initial_ttl(
        (int Seed, int Kind, int Nodes, int Origin, int Ttl) p)
    {
        var topology = Build(p.Seed, p.Kind, p.Nodes);
        var origin = p.Origin % topology.NodeCount;
        var sim = new GnutellaSimulator(topology, Libraries(topology.NodeCount, n => n % 2 == 1), ServentOptions.Default, p.Seed);
        var engine = new FloodEngine(sim.Servents);
        var bad = new List<string>();
        var start = sim[origin].StartQuery("needle", T0, ttl: (byte)p.Ttl);
        var distances = Bfs.Distances(topology, origin);
        engine.Run(origin, start, T0, (from, to, d) =>
        {
            if (d.Ttl == 0)
            {
                bad.Add($"{d.Type} {from}->{to} with TTL 0");
            }

            if (d.Payload is Query && d.Ttl + d.Hops != p.Ttl)
            {
                bad.Add($"Query {from}->{to} TTL {d.Ttl} + Hops {d.Hops} != {p.Ttl}");
            }

            if (d.Payload is QueryHit && d.Ttl != distances[from])
            {
                bad.Add($"QueryHit {from}->{to} TTL {d.Ttl} is not the distance {distances[from]} left");
            }
        });
        Assert.Empty(bad);
    }

    [Fact]
    public void On_a_ternary_tree_ttl_t_reaches_every_level_up_to_t_and_no_further()
    {
        var topology = TopologyGenerator.TernaryTree(5); // 364 nodes
        var sim = new GnutellaSimulator(topology, Libraries(topology.NodeCount, _ => false), ServentOptions.Default, 1);
        for (var ttl = 1; ttl <= 5; ttl++)
        {
            var result = sim.Query(0, "needle", TimeSpan.FromSeconds(ttl), (byte)ttl);
            var expected = ((int)Math.Pow(3, ttl + 1) - 1) / 2;
            Assert.Equal(expected, result.Reached.Count);
            Assert.Equal(expected - 1, result.QueryMessages); // a tree: each reached node gets exactly one copy
        }
    }

    [Fact]
    public void Duplicates_in_a_cyclic_graph_are_received_but_not_forwarded_again()
    {
        // a 4-cycle 0-1-2-3-0: node 2 gets the query from 1 and from 3
        var topology = TopologyGenerator.ParseEdgeList("0 1\n1 2\n2 3\n3 0");
        var sim = new GnutellaSimulator(topology, Libraries(4, _ => false), ServentOptions.Default, 1);
        var result = sim.Query(0, "x", T0, 7);
        Assert.Equal(4, result.Reached.Count);
        // 0->1, 0->3, 1->2, 3->2 (duplicate at 2), 2->3 (duplicate at 3): 2 forwards only its first copy
        Assert.Equal(5, result.QueryMessages);
        Assert.Equal(2, sim.Servents.Sum(s => s.Counters.Duplicates));
    }

    [Fact]
    public void Push_reaches_the_firewalled_responder_along_the_reverse_of_its_query_hit_path()
    {
        var topology = TopologyGenerator.TernaryTree(3);
        const int requester = 5;
        const int responder = 30;
        var libraries = Libraries(topology.NodeCount, n => n == responder);
        var sim = new GnutellaSimulator(topology, libraries, ServentOptions.Default, 3, firewalled: new HashSet<int> { responder });

        var result = sim.Query(requester, "needle", T0);
        var hit = Assert.Single(result.Hits);
        Assert.Equal(responder, hit.Responder);

        var (route, push) = sim.Download(requester, hit, 7, T0);
        Assert.Equal(DownloadRoute.Push, route);
        Assert.NotNull(push);
        Assert.True(push.Delivered);
        Assert.Equal(hit.Path.Reverse(), push.Path);
        Assert.Equal(sim[requester].Endpoint, push.ConnectBackTo);
        Assert.Equal(hit.Path.Count - 1, push.Messages);
    }

    [Fact]
    public void Download_is_direct_to_an_open_responder_and_fails_when_both_are_firewalled()
    {
        var topology = TopologyGenerator.TernaryTree(2);
        var libraries = Libraries(topology.NodeCount, n => n == 4);
        var open = new GnutellaSimulator(topology, libraries, ServentOptions.Default, 3);
        var hit = Assert.Single(open.Query(0, "needle", T0).Hits);
        Assert.Equal(DownloadRoute.Direct, open.Download(0, hit, 7, T0).Route);

        var closed = new GnutellaSimulator(topology, libraries, ServentOptions.Default, 3, firewalled: new HashSet<int> { 0, 4 });
        var hit2 = Assert.Single(closed.Query(0, "needle", T0).Hits);
        Assert.Equal(DownloadRoute.Failed, closed.Download(0, hit2, 7, T0).Route);
    }

    [Fact]
    public void Push_without_a_query_hit_route_is_not_sent()
    {
        var topology = TopologyGenerator.TernaryTree(2);
        var sim = new GnutellaSimulator(topology, Libraries(topology.NodeCount, _ => false), ServentOptions.Default, 3);
        var fake = new SimulatedHit(4, new QueryHit(1, 1, 1, [new QueryHitResult(1, 1, "f")], sim[4].ServentId), [4, 1, 0]);
        var push = sim.Push(0, fake, 1, T0);
        Assert.False(push.Delivered);
        Assert.Equal(0, push.Messages);
    }

    private static readonly int[] _origins = [17, 42, 99, 150, 3, 260, 77, 201, 128, 9];

    /// <summary>Ten peers ping within a minute (the pong cache's lifetime), as peers do to refresh their host lists.</summary>
    private static (long Total, long First, GnutellaSimulator Sim) PingWorkload(bool pongCache)
    {
        var topology = TopologyGenerator.BarabasiAlbert(300, 2, new Random(11));
        var options = ServentOptions.Default with { PongCacheEnabled = pongCache };
        var sim = new GnutellaSimulator(topology, Libraries(300, n => n % 4 == 0), options, 11);
        var results = _origins.Select((origin, i) => sim.Ping(origin, TimeSpan.FromSeconds(i * 5))).ToArray();
        Assert.All(results, r => Assert.True(r.Pongs.Count >= 10));
        return (results.Sum(r => r.Messages), results[0].Messages, sim);
    }

    [Fact]
    public void The_pong_cache_answers_pings_with_fewer_messages()
    {
        var (plain, plainFirst, _) = PingWorkload(pongCache: false);
        var (cached, cachedFirst, sim) = PingWorkload(pongCache: true);
        Assert.Equal(plainFirst, cachedFirst); // empty caches change nothing
        Assert.True(cached * 5 < plain * 3, $"with cache {cached}, without {plain}"); // at least 40% fewer
        Assert.True(sim.Servents.Sum(s => s.Counters.PongCacheAnswers) > 0);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(60, false)]
    public void Cached_pongs_answer_only_while_fresh(int secondsLater, bool answered)
    {
        var topology = TopologyGenerator.TernaryTree(3);
        var options = ServentOptions.Default with { PongCacheEnabled = true, PongCacheLifetime = TimeSpan.FromSeconds(10) };
        var sim = new GnutellaSimulator(topology, Libraries(topology.NodeCount, _ => false), options, 1);
        var first = sim.Ping(0, T0);
        Assert.Equal(0, sim.Servents.Sum(s => s.Counters.PongCacheAnswers)); // a flood never meets its own pongs first
        var second = sim.Ping(0, TimeSpan.FromSeconds(secondsLater));
        Assert.Equal(answered, sim.Servents.Sum(s => s.Counters.PongCacheAnswers) > 0);
        Assert.Equal(answered, second.Messages < first.Messages);
    }

    /// <summary>Ten peers search for the same popular title within the cache lifetime.</summary>
    private static (long Total, IReadOnlyList<FloodResult> Results, GnutellaSimulator Sim) SearchWorkload(bool queryCache)
    {
        var topology = TopologyGenerator.BarabasiAlbert(300, 2, new Random(5));
        var options = ServentOptions.Default with { QueryCacheEnabled = queryCache };
        var sim = new GnutellaSimulator(topology, Libraries(300, n => n % 10 == 3), options, 5);
        var results = _origins.Select((origin, i) => sim.Query(origin, i % 2 == 0 ? "needle" : "NEEDLE", TimeSpan.FromSeconds(i * 5))).ToArray();
        return (results.Sum(r => r.Messages), results, sim);
    }

    [Fact]
    public void The_query_cache_answers_repeated_searches_with_fewer_messages_and_still_finds_the_files()
    {
        var (plain, plainResults, _) = SearchWorkload(queryCache: false);
        var (cached, cachedResults, sim) = SearchWorkload(queryCache: true);
        Assert.True(cached * 2 < plain, $"with cache {cached}, without {plain}");
        Assert.True(sim.Servents.Sum(s => s.Counters.QueryCacheAnswers) > 0);
        Assert.Equal(plainResults[0].Messages, cachedResults[0].Messages); // the first search meets empty caches
        Assert.All(cachedResults, r => Assert.NotEmpty(r.Hits));
        Assert.All(cachedResults.SelectMany(r => r.Hits), h => Assert.Equal(3, h.Responder % 10));
    }

    [Fact]
    public void With_the_query_cache_each_responder_reaches_the_searcher_once()
    {
        var (_, results, _) = SearchWorkload(queryCache: true);
        Assert.All(results, r => Assert.Equal(r.Hits.Count, r.Hits.Select(h => h.Hit.ServentId).Distinct().Count()));
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        FloodResult Run()
        {
            var topology = TopologyGenerator.BarabasiAlbert(200, 2, new Random(9));
            var sim = new GnutellaSimulator(topology, Libraries(200, n => n % 7 == 0), ServentOptions.Default, 9);
            return sim.Query(3, "needle", T0, 4);
        }

        var (a, b) = (Run(), Run());
        Assert.Equal(a.Messages, b.Messages);
        Assert.Equal(a.Hits.Select(h => (h.Responder, h.Hit.ServentId)), b.Hits.Select(h => (h.Responder, h.Hit.ServentId)));
    }
}
