using System.Text.Json;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

/// <summary>The durability options on the console: accepted by chord, refused clearly elsewhere.</summary>
[Collection(SharedCluster.Name)]
public sealed class ChordDurabilityConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task Chord_create_accepts_durable_and_spread_replicas_and_the_ring_serves_keys()
    {
        var created = await Run("chord", "create", "console-durable", "--bits", "16", "--durable", "--spread-replicas");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("durable peers", created.Out, StringComparison.Ordinal);
        Assert.Contains("replicas spread over silos", created.Out, StringComparison.Ordinal);
        var info = await fixture.Client.GetGrain<IOverlayRegistryGrain>("console-durable").GetAsync();
        Assert.True(info!.Parameters is ChordParameters { Durable: true, SpreadReplicas: true });

        Assert.Equal(0, (await Run("chord", "join", "console-durable", "--count", "8")).ExitCode);
        Assert.Equal(0, (await Run("chord", "step", "console-durable", "--rounds", "20")).ExitCode);
        Assert.Equal(0, (await Run("chord", "put", "console-durable", "alpha", "one")).ExitCode);
        var get = await Run("chord", "get", "console-durable", "alpha", "--json");
        Assert.Equal("one", JsonDocument.Parse(get.Out).RootElement.GetProperty("value").GetString());
        Assert.Contains("100.0%", (await Run("chord", "check", "console-durable")).Out, StringComparison.Ordinal);
        Assert.Contains("console-durable", (await Run("list")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("delete", "console-durable")).ExitCode);
    }

    [Theory]
    [InlineData("gnutella", "create", "not-durable", "--durable")]
    [InlineData("fasttrack", "create", "not-durable", "--spread-replicas")]
    [InlineData("napster", "create", "not-durable", "--durable")]
    [InlineData("chord", "create", "not-durable", "--durable", "yes-please")]
    public async Task Durability_options_elsewhere_get_one_line_exit_2_and_create_nothing(params string[] args)
    {
        var outcome = await Run(args);
        var error = CliRunner.AssertRefused(outcome);
        if (args[0] != "chord")
        {
            Assert.Contains("supported by chord, kelips, pastry only", error, StringComparison.Ordinal);
        }

        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("not-durable").GetAsync());
    }
}
