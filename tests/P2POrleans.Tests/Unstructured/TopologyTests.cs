using P2POrleans.Testing.Unstructured;
using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Unstructured;

public sealed class TopologyTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 4)]
    [InlineData(3, 40)]
    [InlineData(6, 1093)]
    public void A_ternary_tree_has_three_children_per_inner_node(int depth, int nodes)
    {
        var tree = TopologyGenerator.TernaryTree(depth);
        Assert.Equal(nodes, tree.NodeCount);
        Assert.Equal(nodes - 1, tree.EdgeCount);
        var leaves = (int)Math.Pow(3, depth);
        Assert.Equal(leaves, Enumerable.Range(0, nodes).Count(n => n != 0 && tree.Degree(n) == 1) + (depth == 0 ? 1 : 0));
        if (depth > 0)
        {
            Assert.Equal(3, tree.Degree(0));
            Assert.All(Enumerable.Range(1, nodes - leaves - 1), n => Assert.Equal(4, tree.Degree(n)));
        }
    }

    [Theory]
    [InlineData(10, 3, 1)]
    [InlineData(100, 4, 2)]
    [InlineData(1000, 6, 3)]
    public void A_random_regular_graph_gives_every_node_the_degree_and_is_seeded(int n, int degree, int seed)
    {
        var g = TopologyGenerator.RandomRegular(n, degree, new Random(seed));
        Assert.All(Enumerable.Range(0, n), node => Assert.Equal(degree, g.Degree(node)));
        Assert.Equal(g.Edges(), TopologyGenerator.RandomRegular(n, degree, new Random(seed)).Edges());
        Assert.NotEqual(g.Edges(), TopologyGenerator.RandomRegular(n, degree, new Random(seed + 1)).Edges());
    }

    [Fact]
    public void A_regular_graph_that_cannot_exist_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TopologyGenerator.RandomRegular(5, 3, new Random(1)));
        Assert.Throws<ArgumentException>(() => TopologyGenerator.RandomRegular(4, 4, new Random(1)));
    }

    [Fact]
    public void Barabasi_albert_is_connected_seeded_and_heavy_tailed()
    {
        const int n = 2000;
        const int m = 2;
        var g = TopologyGenerator.BarabasiAlbert(n, m, new Random(7));
        Assert.Equal((m * (m + 1) / 2) + (m * (n - m - 1)), g.EdgeCount);
        Assert.Equal(n, Bfs.Ball(g, 0, n).Count);
        Assert.All(Enumerable.Range(0, n), node => Assert.True(g.Degree(node) >= m));
        Assert.True(Enumerable.Range(0, n).Max(g.Degree) > 10 * 2 * m, "a hub far above the mean degree");
        Assert.Equal(g.Edges(), TopologyGenerator.BarabasiAlbert(n, m, new Random(7)).Edges());
    }

    [Fact]
    public void An_edge_list_parses_with_comments_commas_and_repeated_edges()
    {
        var g = TopologyGenerator.ParseEdgeList("# a triangle and a tail\n0 1\n1,2\n\n2\t0\n1 0\n2 3\r\n");
        Assert.Equal(4, g.NodeCount);
        Assert.Equal(4, g.EdgeCount);
        Assert.True(g.AreNeighbours(3, 2));
        Assert.Equal(6, TopologyGenerator.ParseEdgeList("0 1", nodeCount: 6).NodeCount);
    }

    [Theory]
    [InlineData("0 1\n1", "line 2")]
    [InlineData("0 1 2", "line 1")]
    [InlineData("0 1\n\n1 x", "line 3")]
    [InlineData("0 -1", "line 1")]
    [InlineData("3 3", "self-loop")]
    [InlineData("0 1.5", "line 1")]
    public void A_malformed_edge_list_names_the_line(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => TopologyGenerator.ParseEdgeList(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edge_beyond_the_declared_node_count_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => TopologyGenerator.ParseEdgeList("0 1\n1 9", nodeCount: 5));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ball_of_a_path_grows_one_node_each_side_per_hop()
    {
        var path = TopologyGenerator.ParseEdgeList(string.Join('\n', Enumerable.Range(0, 9).Select(i => $"{i} {i + 1}")));
        Assert.Equal([5], Bfs.Ball(path, 5, 0).Order());
        Assert.Equal([3, 4, 5, 6, 7], Bfs.Ball(path, 5, 2).Order());
        Assert.Equal(Enumerable.Range(0, 10), Bfs.Ball(path, 5, 100).Order());
        Assert.Equal(-1, Bfs.Distances(new Topology(3, [(0, 1)]), 0)[2]);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.7, 70)]
    [InlineData(1.0, 100)]
    public void Free_riders_are_the_requested_fraction_and_share_nothing(double fraction, int expected)
    {
        var libraries = FileDistribution.Assign(100, ["a b", "c d", "e f", "g h"], 2, fraction, new Random(3));
        Assert.Equal(expected, libraries.Count(l => l.IsFreeRider));
        Assert.All(libraries.Where(l => !l.IsFreeRider), l => Assert.Equal(2u, l.FileCount));
        Assert.Equal(expected, FileDistribution.FreeRiders(100, fraction, new Random(3)).Count);
    }

    [Fact]
    public void Peer_endpoints_format_and_parse()
    {
        var e = PeerEndpoint.Parse("192.168.1.20:6346");
        Assert.Equal(0xC0A80114u, e.Address);
        Assert.Equal("192.168.1.20:6346", e.ToString());
        Assert.Equal("10.0.0.1:6346", PeerEndpoint.ForNode(0).ToString());
        Assert.Throws<FormatException>(() => PeerEndpoint.Parse("1.2.3:80"));
        Assert.Throws<FormatException>(() => PeerEndpoint.Parse("1.2.3.256:80"));
        Assert.Throws<FormatException>(() => PeerEndpoint.Parse("1.2.3.4"));
    }
}
