using System.Text.Json;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Gnutella;

/// <summary>The napster|gnutella|fasttrack console: good commands work, bad input gets one line, exit 2 and no change.</summary>
[Collection(SharedCluster.Name)]
public sealed class UnstructuredConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task Gnutella_query_on_a_tree_prints_hits_with_the_path_back_peers_reached_and_messages()
    {
        Assert.Equal(0, (await Run("gnutella", "create", "cli-tree", "--topology", "tree", "--depth", "2", "--free-riders", "0", "--titles", "1", "--files", "1")).ExitCode);
        var query = await Run("gnutella", "query", "cli-tree", "beatles", "--from", "4", "--ttl", "2");
        Assert.Equal(0, query.ExitCode);
        Assert.Contains("peers reached", query.Out, StringComparison.Ordinal);
        Assert.Contains("path back", query.Out, StringComparison.Ordinal);

        var json = await Run("gnutella", "query", "cli-tree", "beatles", "--from", "4", "--ttl", "2", "--json");
        using var doc = JsonDocument.Parse(json.Out);
        var reached = doc.RootElement.GetProperty("reached").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal([0, 1, 4, 5, 6], reached); // leaf 4: its parent 1, the root 0 and its siblings 5 and 6 are within 2 hops
        Assert.Equal(4, doc.RootElement.GetProperty("hits").GetArrayLength()); // everyone shares the one title

        Assert.Equal(0, (await Run("gnutella", "share", "cli-tree", "rare demo track.ogg", "--peer", "12")).ExitCode);
        var rare = await Run("gnutella", "fetch", "cli-tree", "rare demo", "--from", "0", "--ttl", "2");
        Assert.Equal(0, rare.ExitCode);
        Assert.Contains("from peer 12", rare.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("gnutella", "stats", "cli-tree")).ExitCode);
        Assert.Equal(0, (await Run("gnutella", "topology", "cli-tree")).ExitCode);
        Assert.Equal(0, (await Run("gnutella", "ping", "cli-tree", "--from", "0", "--ttl", "2")).ExitCode);
    }

    [Fact]
    public async Task An_edge_list_file_builds_the_topology()
    {
        var file = Path.Combine(Path.GetTempPath(), $"edges-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "# a path of four\n0 1\n1 2\n2,3\n", TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Run("gnutella", "create", "cli-edges", "--topology", "edges", "--edges", file, "--free-riders", "0")).ExitCode);
        using var doc = JsonDocument.Parse((await Run("gnutella", "query", "cli-edges", "beatles", "--from", "0", "--ttl", "2", "--json")).Out);
        Assert.Equal(3, doc.RootElement.GetProperty("reached").GetArrayLength());
        File.Delete(file);
    }

    [Fact]
    public async Task Napster_and_fasttrack_verbs_work_and_a_down_server_fails_searches_with_one_line()
    {
        Assert.Equal(0, (await Run("napster", "create", "cli-napster", "--peers", "20", "--free-riders", "0")).ExitCode);
        Assert.Equal(0, (await Run("napster", "search", "cli-napster", "beatles")).ExitCode);
        Assert.Equal(0, (await Run("napster", "fail-server", "cli-napster")).ExitCode);
        var down = await Run("napster", "search", "cli-napster", "beatles");
        Assert.NotEqual(0, down.ExitCode);
        Assert.Contains("down", down.Error, StringComparison.Ordinal);
        Assert.Single(down.Error.Trim().Split('\n'));
        Assert.Equal(0, (await Run("napster", "recover-server", "cli-napster")).ExitCode);
        Assert.Equal(0, (await Run("napster", "step", "cli-napster")).ExitCode);
        Assert.Equal(0, (await Run("napster", "fetch", "cli-napster", "beatles", "--from", "3")).ExitCode);
        Assert.Equal(0, (await Run("napster", "leave", "cli-napster", "--peer", "5")).ExitCode);
        Assert.Equal(0, (await Run("napster", "join", "cli-napster", "--file", "new song.mp3")).ExitCode);

        Assert.Equal(0, (await Run("fasttrack", "create", "cli-ft", "--peers", "40", "--free-riders", "0.3")).ExitCode);
        Assert.Equal(0, (await Run("fasttrack", "search", "cli-ft", "beatles", "--from", "2")).ExitCode);
        Assert.Equal(0, (await Run("fasttrack", "supernodes", "cli-ft")).ExitCode);
        Assert.Equal(0, (await Run("fasttrack", "fail", "cli-ft", "--peer", "7")).ExitCode);
        Assert.Equal(0, (await Run("fasttrack", "fetch", "cli-ft", "beatles", "--from", "2")).ExitCode);
    }

    [Theory]
    [InlineData("gnutella", "create", "cli-bad", "--topology", "ring")]
    [InlineData("gnutella", "create", "cli-bad", "--topology", "random", "--peers", "9", "--degree", "3")]
    [InlineData("gnutella", "create", "cli-bad", "--topology", "edges")]
    [InlineData("gnutella", "create", "cli-bad", "--topology", "edges", "--edges", "/nonexistent/edges.txt")]
    [InlineData("gnutella", "create", "cli-bad", "--free-riders", "1.5")]
    [InlineData("gnutella", "create", "cli-bad", "--ttl", "9", "--max-ttl", "7")]
    [InlineData("gnutella", "query", "cli-bad", "beatles")]
    [InlineData("fasttrack", "create", "cli-bad", "--supernode-threshold", "-1")]
    [InlineData("napster", "create", "cli-bad", "--peers", "1")]
    public async Task Bad_input_gives_one_line_exit_2_and_creates_nothing(params string[] args)
    {
        var outcome = await Run(args);
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error: ", outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.Trim().Split('\n'));
        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("cli-bad").GetAsync());
    }

    [Fact]
    public async Task Bad_queries_on_an_existing_overlay_give_one_line_and_exit_2()
    {
        Assert.Equal(0, (await Run("gnutella", "create", "cli-q", "--topology", "tree", "--depth", "1")).ExitCode);
        foreach (var args in new[]
        {
            new[] { "gnutella", "query", "cli-q", "beatles", "--ttl", "0" },
            ["gnutella", "query", "cli-q", "!!!"],
            ["gnutella", "query", "cli-q", "beatles", "--from", "99"],
            ["napster", "search", "cli-q", "beatles"],
            ["gnutella", "leave", "cli-q", "--peer", "-3"],
            ["gnutella", "share", "cli-q", "...", "--peer", "1"],
            ["gnutella", "create", "cli-q", "--topology", "tree"],
        })
        {
            var outcome = await Run(args);
            Assert.Equal(2, outcome.ExitCode);
            Assert.StartsWith("error: ", outcome.Error, StringComparison.Ordinal);
        }

        Assert.Equal(4, (await fixture.Client.GetGrain<IOverlayRegistryGrain>("cli-q").GetAsync())!.Members);
    }
}
