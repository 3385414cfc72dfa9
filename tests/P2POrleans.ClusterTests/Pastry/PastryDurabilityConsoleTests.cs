using System.Text.Json;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

/// <summary>The durability options on `pastry create`: accepted and echoed, bad input refused with one line.</summary>
[Collection(SharedCluster.Name)]
public sealed class PastryDurabilityConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task Pastry_create_accepts_durable_and_spread_replicas_and_the_overlay_serves_keys()
    {
        var created = await Run("pastry", "create", "pastry-console-durable", "--bits", "32", "--leaf", "8", "--replicas", "3", "--durable", "--spread-replicas");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("durable peers", created.Out, StringComparison.Ordinal);
        Assert.Contains("replicas spread over silos", created.Out, StringComparison.Ordinal);
        var info = await fixture.Client.GetGrain<IOverlayRegistryGrain>("pastry-console-durable").GetAsync();
        Assert.True(info!.Parameters is PastryParameters { Durable: true, SpreadReplicas: true });

        Assert.Equal(0, (await Run("pastry", "join", "pastry-console-durable", "--count", "8")).ExitCode);
        Assert.Equal(0, (await Run("pastry", "step", "pastry-console-durable", "--rounds", "5")).ExitCode);
        Assert.Equal(0, (await Run("pastry", "put", "pastry-console-durable", "alpha", "one")).ExitCode);
        var get = await Run("pastry", "get", "pastry-console-durable", "alpha", "--json");
        Assert.Equal("one", JsonDocument.Parse(get.Out).RootElement.GetProperty("value").GetString());
        Assert.Equal(0, (await Run("pastry", "check", "pastry-console-durable")).ExitCode);
        Assert.Equal(0, (await Run("delete", "pastry-console-durable")).ExitCode);
    }

    [Fact]
    public async Task By_default_pastry_overlays_are_volatile_with_plain_placement()
    {
        var created = await Run("pastry", "create", "pastry-console-plain", "--bits", "32");
        Assert.Equal(0, created.ExitCode);
        Assert.DoesNotContain("durable", created.Out, StringComparison.Ordinal);
        Assert.True((await fixture.Client.GetGrain<IOverlayRegistryGrain>("pastry-console-plain").GetAsync())!.Parameters is PastryParameters { Durable: false, SpreadReplicas: false });
        Assert.Equal(0, (await Run("delete", "pastry-console-plain")).ExitCode);
    }

    [Theory]
    [InlineData("pastry", "create", "pastry-not-durable", "--durable", "yes-please")]
    [InlineData("pastry", "create", "pastry-not-durable", "--spread-replicas", "--replicas", "0")]
    [InlineData("pastry", "create", "pastry-not-durable", "--durable", "--leaf", "3")]
    public async Task Bad_combinations_get_one_line_exit_2_and_create_nothing(params string[] args)
    {
        var outcome = await Run(args);
        CliRunner.AssertRefused(outcome);
        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("pastry-not-durable").GetAsync());
    }
}
