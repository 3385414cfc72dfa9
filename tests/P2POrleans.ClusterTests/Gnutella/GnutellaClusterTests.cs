using P2POrleans.Common;
using P2POrleans.Gnutella;
using P2POrleans.Testing.Unstructured;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.ClusterTests.Gnutella;

/// <summary>Servent grains exchanging encoded descriptors: floods against an independent BFS, reverse paths, Push, malformed frames.</summary>
[Collection(SharedCluster.Name)]
public sealed class GnutellaClusterTests(ClusterFixture fixture)
{
    private IGnutellaPeerGrain Servent(string overlay, int node) =>
        fixture.Client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, node));

    /// <summary>Breadth-first ball written out here, not taken from the code under test.</summary>
    private static SortedSet<int> Ball(IReadOnlyList<(int A, int B)> edges, int source, int radius)
    {
        var adjacency = new Dictionary<int, List<int>>();
        foreach (var (a, b) in edges)
        {
            (adjacency.TryGetValue(a, out var la) ? la : adjacency[a] = []).Add(b);
            (adjacency.TryGetValue(b, out var lb) ? lb : adjacency[b] = []).Add(a);
        }

        var depth = new Dictionary<int, int> { [source] = 0 };
        var frontier = new Queue<int>([source]);
        while (frontier.TryDequeue(out var n))
        {
            if (depth[n] == radius)
            {
                continue;
            }

            foreach (var m in adjacency.GetValueOrDefault(n, []))
            {
                if (depth.TryAdd(m, depth[n] + 1))
                {
                    frontier.Enqueue(m);
                }
            }
        }

        return new SortedSet<int>(depth.Keys);
    }

    [Fact]
    public async Task A_floods_waves_are_the_bfs_spheres_round_by_round_and_add_up_to_the_peers_reached()
    {
        const string overlay = "gn-waves";
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(new GnutellaParameters { Topology = TopologyKind.Tree, Depth = 3, FreeRiders = 0, Seed = 3 });
        var edges = Enumerable.Range(1, 39).Select(child => ((child - 1) / 3, child)).ToList();

        var outcome = await Servent(overlay, 4).QueryAsync("beatles", 3);

        // wave r holds the peers exactly r hops away (the sphere), in order; together they are the peers reached
        Assert.Equal([0, 1, 2, 3], outcome.Waves.Where(w => w.Reached.Count > 0).Select(w => w.Round));
        for (var r = 0; r <= 3; r++)
        {
            var sphere = Ball(edges, 4, r);
            if (r > 0)
            {
                sphere.ExceptWith(Ball(edges, 4, r - 1));
            }

            Assert.Equal(sphere, new SortedSet<int>(outcome.Waves.Single(w => w.Round == r).Reached));
        }

        Assert.Equal(new SortedSet<int>(outcome.Reached), new SortedSet<int>(outcome.Waves.SelectMany(w => w.Reached)));
        Assert.Equal(outcome.MessageCount, outcome.Waves.Sum(w => w.Messages));
    }

    [Fact]
    public async Task A_query_with_ttl_t_reaches_exactly_the_bfs_ball_of_radius_t_on_a_ternary_tree()
    {
        const string overlay = "gn-tree";
        var parameters = new GnutellaParameters { Topology = TopologyKind.Tree, Depth = 3, FreeRiders = 0, Seed = 3 };
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(parameters);

        // node i's children are 3i+1..3i+3 (40 nodes for depth 3)
        var edges = Enumerable.Range(1, 39).Select(child => ((child - 1) / 3, child)).ToList();
        foreach (var (from, ttl) in new[] { (0, 1), (0, 2), (4, 1), (4, 2), (4, 3), (13, 3), (13, 5) })
        {
            var outcome = await Servent(overlay, from).QueryAsync("beatles", ttl);
            Assert.Equal(Ball(edges, from, ttl), new SortedSet<int>(outcome.Reached));
        }
    }

    [Fact]
    public async Task On_a_random_graph_the_ball_matches_and_query_messages_equal_the_in_memory_simulator()
    {
        const string overlay = "gn-random";
        var parameters = new GnutellaParameters { Topology = TopologyKind.Random, Peers = 60, Degree = 3, FreeRiders = 0.3, Seed = 11 };
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(parameters);
        var world = UnstructuredWorld.Build(parameters);
        var edges = world.Topology.Edges().ToList();
        var simulator = new GnutellaSimulator(world.Topology, world.Libraries, new ServentOptions(), 5);
        foreach (var ttl in new[] { 1, 2, 3, 4 })
        {
            var outcome = await Servent(overlay, 7).QueryAsync("madonna vogue", ttl);
            Assert.Equal(Ball(edges, 7, ttl), new SortedSet<int>(outcome.Reached));
            var expected = simulator.Query(7, "madonna vogue", TimeSpan.FromHours(ttl), (byte)ttl);
            Assert.Equal(expected.QueryMessages, outcome.Messages.Query);
            Assert.Equal(expected.QueryHitMessages, outcome.Messages.QueryHit);
            Assert.Equal(expected.Hits.Count, outcome.Hits.Select(h => h.Endpoint).Distinct().Count());

            // every hit came back along links of the graph, responder first, searcher last, within t hops
            foreach (var hit in outcome.Hits)
            {
                Assert.Equal(hit.Node, hit.PathBack[0]);
                Assert.Equal(7, hit.PathBack[^1]);
                Assert.True(hit.PathBack.Count - 1 <= ttl);
                Assert.All(hit.PathBack.Zip(hit.PathBack.Skip(1)), pair => Assert.True(world.Topology.AreNeighbours(pair.First, pair.Second)));
                Assert.Contains("vogue", hit.File.Name, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_push_delivers_the_file_from_a_firewalled_peer()
    {
        const string overlay = "gn-push";

        // one title everybody shares; 12 of the 13 peers are firewalled, so any host found needs a Push
        var parameters = new GnutellaParameters { Topology = TopologyKind.Tree, Depth = 2, FreeRiders = 0, Titles = 1, FilesPerPeer = 1, Firewalled = 12.0 / 13, Seed = 5 };
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(parameters);
        var open = Enumerable.Range(0, 13).Single(n => !UnstructuredWorld.Build(parameters).FirewalledPeers.Contains(n));

        var fetch = await Servent(overlay, open).FetchAsync("beatles yesterday", 3);
        Assert.True(fetch.Success, fetch.Error);
        Assert.Equal("push", fetch.Route);
        Assert.True(fetch.Bytes > 0);
        Assert.True(fetch.Chosen!.Node != open);
        Assert.Equal(open, fetch.PushPath[0]);
        Assert.Equal(fetch.Chosen.Node, fetch.PushPath[^1]);
        Assert.Equal(fetch.Chosen.PathBack.Reverse(), fetch.PushPath); // the Push retraces the QueryHit's path
        await Assert.ThrowsAsync<P2PException>(() => Servent(overlay, fetch.Chosen.Node).DownloadAsync(0, open));
    }

    [Fact]
    public async Task A_malformed_frame_is_rejected_by_the_receiver_and_the_servent_keeps_working()
    {
        const string overlay = "gn-bad-bytes";
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(
            new GnutellaParameters { Topology = TopologyKind.Tree, Depth = 1, FreeRiders = 0, Seed = 2 });
        var flood = Guid.NewGuid();
        byte[] truncated = [1, 2, 3, 4, 5];
        var badType = new byte[23];
        badType[16] = 0x33;
        await Servent(overlay, 1).EnqueueAsync(flood, 1, UnstructuredNodes.EndpointOf(0), [new WireMessage(truncated, [0]), new WireMessage(badType, [0])]);
        var report = await Servent(overlay, 1).RunRoundAsync(new FloodRound(flood, 1, TimeSpan.Zero, Guid.NewGuid(), 0x80));
        Assert.Equal(2, report.Rejected);
        Assert.Empty(report.Recipients);
        Assert.Equal(4, (await Servent(overlay, 1).QueryAsync("anything", 2)).Reached.Count);
    }

    [Fact]
    public async Task The_query_span_carries_messages_peers_reached_hits_and_hops_to_the_first_hit()
    {
        const string overlay = "gn-span";
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(
            new GnutellaParameters { Topology = TopologyKind.PowerLaw, Peers = 50, Degree = 4, FreeRiders = 0, Seed = 9 });
        var outcome = await Servent(overlay, 20).QueryAsync("beatles", 3);
        Assert.NotEmpty(outcome.Hits);
        System.Diagnostics.Activity? span = null;
        lock (fixture.Spans)
        {
            span = fixture.Spans.LastOrDefault(s => s.OperationName == "gnutella.lookup" && (string?)s.GetTagItem("p2p.overlay") == overlay);
        }

        Assert.NotNull(span);
        Assert.Equal(outcome.MessageCount, Convert.ToInt64(span.GetTagItem("p2p.messages"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(outcome.Reached.Count, Convert.ToInt32(span.GetTagItem("p2p.reached"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(outcome.Hits.Count, Convert.ToInt32(span.GetTagItem("p2p.hits"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(outcome.HopsToFirstHit, Convert.ToInt32(span.GetTagItem("p2p.hops_to_first_hit"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_failed_servent_is_dropped_by_its_neighbours_and_the_flood_goes_around_it()
    {
        const string overlay = "gn-fail";
        await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).CreateAsync(
            new GnutellaParameters { Topology = TopologyKind.Tree, Depth = 2, FreeRiders = 0, Seed = 4 });
        await Servent(overlay, 1).FailAsync(); // node 1 carried the subtree 4, 5, 6
        var outcome = await Servent(overlay, 0).QueryAsync("anything", 3);
        Assert.Equal([0, 2, 3, 7, 8, 9, 10, 11, 12], outcome.Reached);
        var peers = await fixture.Client.GetGrain<IGnutellaOverlayGrain>(overlay).PeersAsync();
        Assert.DoesNotContain(1, peers.Single(p => p.Node == 0).Neighbours);
    }
}
