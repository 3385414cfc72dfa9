using System.Text.Json;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

/// <summary>The console against a cluster: good commands work, bad input gets one line, exit 2 and no change.</summary>
[Collection(SharedCluster.Name)]
public sealed class ChordConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task A_paper_example_ring_built_with_explicit_ids_answers_lookups_as_json()
    {
        Assert.Equal(0, (await Run("chord", "create", "paper", "--bits", "6", "--successors", "3")).ExitCode);
        foreach (var id in new[] { "1", "8", "14", "21", "32", "38", "42", "48", "51", "56" })
        {
            var joined = await Run("chord", "join", "paper", "--id", id);
            Assert.Equal(0, joined.ExitCode);
        }

        Assert.Equal(0, (await Run("chord", "step", "paper", "--rounds", "12")).ExitCode);

        // Chord figure 3 / 4 example: from N8, key 54 is owned by N56.
        var lookup = await Run("chord", "lookup", "paper", "--id", "54", "--from", "8", "--json");
        Assert.Equal(0, lookup.ExitCode);
        using var json = JsonDocument.Parse(lookup.Out);
        Assert.Equal("56", json.RootElement.GetProperty("owner").GetString());
        var path = json.RootElement.GetProperty("path").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("8", path[0]);
        Assert.Equal(json.RootElement.GetProperty("hops").GetInt32(), path.Count - 1);

        // The paper's path: N8 -> N42 -> N51 (then N51's successor N56 owns the key).
        Assert.Equal(["8", "42", "51"], path);
        Assert.True((await Run("chord", "check", "paper")).Out.Contains("100.0%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_get_fingers_ring_and_leave_work_from_the_console()
    {
        Assert.Equal(0, (await Run("chord", "create", "console-ops", "--bits", "16", "--seed", "3")).ExitCode);
        Assert.Equal(0, (await Run("chord", "join", "console-ops", "--count", "10")).ExitCode);
        Assert.Equal(0, (await Run("chord", "step", "console-ops", "--rounds", "20")).ExitCode);
        Assert.Equal(0, (await Run("chord", "put", "console-ops", "alpha", "one")).ExitCode);
        var get = await Run("chord", "get", "console-ops", "alpha", "--json");
        Assert.Equal(0, get.ExitCode);
        Assert.Equal("one", JsonDocument.Parse(get.Out).RootElement.GetProperty("value").GetString());

        var ring = await Run("chord", "ring", "console-ops", "--json");
        var first = JsonDocument.Parse(ring.Out).RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal(0, (await Run("chord", "fingers", "console-ops", "--id", first)).ExitCode);
        Assert.Equal(0, (await Run("chord", "leave", "console-ops", "--id", first)).ExitCode);
        Assert.Equal(9, (await fixture.Client.GetGrain<IOverlayRegistryGrain>("console-ops").GetAsync())!.Members);
        Assert.Equal("one", JsonDocument.Parse((await Run("chord", "get", "console-ops", "alpha", "--json")).Out).RootElement.GetProperty("value").GetString());

        var list = await Run("list");
        Assert.Contains("console-ops", list.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("delete", "console-ops")).ExitCode);
        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("console-ops").GetAsync());
    }

    [Theory]
    [InlineData("chord", "create", "bad-bits", "--bits", "0")]
    [InlineData("chord", "create", "bad-bits", "--bits", "161")]
    [InlineData("chord", "create", "bad-bits", "--replicas", "12", "--successors", "4")]
    [InlineData("chord", "create", "bad name!")]
    [InlineData("chord", "create", "bad-bits", "--mode", "sideways")]
    [InlineData("chord", "create", "bad-bits", "--bits", "eight")]
    [InlineData("chord", "join", "no-such-overlay", "--count", "3")]
    [InlineData("chord", "join", "bad-input", "--id", "300")]
    [InlineData("chord", "join", "bad-input", "--id", "0xZZ")]
    [InlineData("chord", "join", "bad-input", "--count", "0")]
    [InlineData("chord", "join", "bad-input", "--count", "2", "--id", "5")]
    [InlineData("chord", "lookup", "bad-input")]
    [InlineData("chord", "lookup", "bad-input", "k", "--from", "999")]
    [InlineData("chord", "lookup", "bad-input", "k", "--from", "77")]
    [InlineData("chord", "leave", "bad-input", "--id", "77")]
    [InlineData("chord", "fail", "bad-input")]
    [InlineData("chord", "fail", "bad-input", "--count", "99")]
    [InlineData("chord", "step", "bad-input", "--rounds", "0")]
    [InlineData("chord", "create", "bad-input")]
    [InlineData("chord", "frobnicate", "bad-input")]
    [InlineData("show", "no-such-overlay")]
    public async Task Bad_input_gets_one_line_exit_2_and_changes_nothing(params string[] args)
    {
        // A small valid overlay that the bad commands must leave as it is.
        var registry = fixture.Client.GetGrain<IOverlayRegistryGrain>("bad-input");
        if (await registry.GetAsync() is null)
        {
            try
            {
                await registry.CreateAsync(new ChordParameters { Bits = 8, Seed = 1 });
                await fixture.Client.GetGrain<IChordOverlayGrain>("bad-input").JoinIdAsync(NodeId.FromUInt64(40));
                await fixture.Client.GetGrain<IChordOverlayGrain>("bad-input").JoinIdAsync(NodeId.FromUInt64(200));
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
        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("bad-bits").GetAsync());
    }
}
