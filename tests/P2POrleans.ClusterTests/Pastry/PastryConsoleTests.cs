using System.Text.Json;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

/// <summary>The console against a cluster: good commands work, bad input gets one line, exit 2 and no change.</summary>
[Collection(SharedCluster.Name)]
public sealed class PastryConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task Lookups_put_get_table_leafset_check_and_leave_work_from_the_console()
    {
        Assert.Equal(0, (await Run("pastry", "create", "pastry-console", "--bits", "32", "--b", "2", "--leaf", "8", "--replicas", "3", "--seed", "5")).ExitCode);
        Assert.Equal(0, (await Run("pastry", "join", "pastry-console", "--count", "24")).ExitCode);
        Assert.Equal(0, (await Run("pastry", "join", "pastry-console", "--id", "0x12345678")).ExitCode);

        var lookup = await Run("pastry", "lookup", "pastry-console", "--id", "0x12345679", "--from", "0x12345678", "--json");
        Assert.Equal(0, lookup.ExitCode);
        using (var json = JsonDocument.Parse(lookup.Out))
        {
            var root = json.RootElement;
            Assert.Equal("305419896", root.GetProperty("owner").GetString());
            Assert.Equal(0, root.GetProperty("hops").GetInt32());
            Assert.True(root.TryGetProperty("latency_ms", out _));
        }

        var far = await Run("pastry", "lookup", "pastry-console", "far-away-key", "--from", "0x12345678", "--json");
        using (var json = JsonDocument.Parse(far.Out))
        {
            var root = json.RootElement;
            var path = root.GetProperty("path").EnumerateArray().Select(e => e.GetString()).ToList();
            var digits = root.GetProperty("digits").EnumerateArray().Select(e => e.GetInt32()).ToList();
            Assert.Equal("305419896", path[0]);
            Assert.Equal(root.GetProperty("hops").GetInt32(), path.Count - 1);
            Assert.Equal(path.Count, digits.Count);
            Assert.Equal(path[^1], root.GetProperty("owner").GetString());
        }

        var table = await Run("pastry", "lookup", "pastry-console", "far-away-key");
        Assert.Contains("digits shared", table.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("pastry", "put", "pastry-console", "alpha", "one")).ExitCode);
        var get = await Run("pastry", "get", "pastry-console", "alpha", "--json");
        Assert.Equal("one", JsonDocument.Parse(get.Out).RootElement.GetProperty("value").GetString());

        var routing = await Run("pastry", "table", "pastry-console", "--id", "0x12345678", "--json");
        Assert.Equal(0, routing.ExitCode);
        Assert.True(JsonDocument.Parse(routing.Out).RootElement.GetProperty("entries").GetArrayLength() > 0);
        var leaves = await Run("pastry", "leafset", "pastry-console", "--id", "0x12345678", "--json");
        Assert.Equal(4, JsonDocument.Parse(leaves.Out).RootElement.GetProperty("larger").GetArrayLength());
        Assert.Equal(0, (await Run("pastry", "leafset", "pastry-console")).ExitCode);

        Assert.Equal(0, (await Run("pastry", "leave", "pastry-console", "--id", "0x12345678")).ExitCode);
        Assert.Equal(0, (await Run("pastry", "fail", "pastry-console", "--count", "2")).ExitCode);
        Assert.Equal(0, (await Run("pastry", "step", "pastry-console", "--rounds", "3")).ExitCode);
        var check = await Run("pastry", "check", "pastry-console", "--json");
        var report = JsonDocument.Parse(check.Out).RootElement;
        Assert.Equal(22, report.GetProperty("truth").GetProperty("nodes").GetInt32());
        Assert.Equal(22, report.GetProperty("truth").GetProperty("correct_leaf_sets").GetInt32());
        Assert.Equal("one", JsonDocument.Parse((await Run("pastry", "get", "pastry-console", "alpha", "--json")).Out).RootElement.GetProperty("value").GetString());
        Assert.Equal(0, (await Run("delete", "pastry-console")).ExitCode);
    }

    [Theory]
    [InlineData("pastry", "create", "pastry-bad-params", "--bits", "0")]
    [InlineData("pastry", "create", "pastry-bad-params", "--bits", "129")]
    [InlineData("pastry", "create", "pastry-bad-params", "--b", "9")]
    [InlineData("pastry", "create", "pastry-bad-params", "--leaf", "7")]
    [InlineData("pastry", "create", "pastry-bad-params", "--replicas", "10", "--leaf", "8")]
    [InlineData("pastry", "create", "pastry-bad-params", "--mode", "sideways")]
    [InlineData("pastry", "create", "pastry-bad-params", "--proximity", "maybe")]
    [InlineData("pastry", "create", "bad name!")]
    [InlineData("pastry", "create", "pastry-bad-input")]
    [InlineData("pastry", "join", "no-such-overlay", "--count", "3")]
    [InlineData("pastry", "join", "pastry-bad-input", "--id", "300")]
    [InlineData("pastry", "join", "pastry-bad-input", "--id", "0xZZ")]
    [InlineData("pastry", "join", "pastry-bad-input", "--id", "40")]
    [InlineData("pastry", "join", "pastry-bad-input", "--count", "0")]
    [InlineData("pastry", "join", "pastry-bad-input", "--count", "2", "--id", "5")]
    [InlineData("pastry", "lookup", "pastry-bad-input")]
    [InlineData("pastry", "lookup", "pastry-bad-input", "k", "--id", "3")]
    [InlineData("pastry", "lookup", "pastry-bad-input", "k", "--from", "999")]
    [InlineData("pastry", "lookup", "pastry-bad-input", "k", "--from", "77")]
    [InlineData("pastry", "leave", "pastry-bad-input", "--id", "77")]
    [InlineData("pastry", "table", "pastry-bad-input", "--id", "77")]
    [InlineData("pastry", "leafset", "pastry-bad-input", "--id", "-1")]
    [InlineData("pastry", "fail", "pastry-bad-input")]
    [InlineData("pastry", "fail", "pastry-bad-input", "--count", "99")]
    [InlineData("pastry", "step", "pastry-bad-input", "--rounds", "0")]
    [InlineData("pastry", "frobnicate", "pastry-bad-input")]
    [InlineData("chord", "lookup", "pastry-bad-input", "k")]
    public async Task Bad_input_gets_one_line_exit_2_and_changes_nothing(params string[] args)
    {
        // A small valid overlay that the bad commands must leave as it is.
        var registry = fixture.Client.GetGrain<IOverlayRegistryGrain>("pastry-bad-input");
        if (await registry.GetAsync() is null)
        {
            try
            {
                await registry.CreateAsync(new PastryParameters { Bits = 8, DigitBits = 2, LeafSetSize = 4, Replicas = 2, Seed = 1 });
                await fixture.Client.GetGrain<IPastryOverlayGrain>("pastry-bad-input").JoinIdAsync(NodeId.FromUInt64(40));
                await fixture.Client.GetGrain<IPastryOverlayGrain>("pastry-bad-input").JoinIdAsync(NodeId.FromUInt64(200));
            }
            catch (P2PException)
            {
                // Another case of this theory created it first.
            }
        }

        var before = await registry.GetMembersAsync();
        var outcome = await Run(args);
        CliRunner.AssertRefused(outcome);
        Assert.Equal(before, await registry.GetMembersAsync());
        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("pastry-bad-params").GetAsync());
    }
}
