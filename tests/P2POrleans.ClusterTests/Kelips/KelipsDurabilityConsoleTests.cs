using System.Text.Json;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

/// <summary>The durability options on `kelips create`: --durable, --spread-replicas and --replicas (1..ceil(N/k)).</summary>
[Collection(SharedCluster.Name)]
public sealed class KelipsDurabilityConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task Kelips_create_accepts_durable_spread_replicas_and_replicas_and_the_overlay_serves_files()
    {
        var created = await Run("kelips", "create", "kelips-console-durable", "--expected", "16", "--bits", "32", "--durable", "--spread-replicas", "--replicas", "3");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("replicas = 3", created.Out, StringComparison.Ordinal);
        Assert.Contains("durable peers", created.Out, StringComparison.Ordinal);
        Assert.Contains("replicas spread over silos", created.Out, StringComparison.Ordinal);
        var info = await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-console-durable").GetAsync();
        Assert.True(info!.Parameters is KelipsParameters { Durable: true, SpreadReplicas: true, Replicas: 3 });

        Assert.Equal(0, (await Run("kelips", "join", "kelips-console-durable", "--count", "16")).ExitCode);
        Assert.Equal(0, (await Run("kelips", "step", "kelips-console-durable", "--rounds", "25")).ExitCode);
        var insert = await Run("kelips", "insert", "kelips-console-durable", "song.mp3", "--content", "la la", "--json");
        Assert.Equal(0, insert.ExitCode);
        Assert.Equal(0, (await Run("kelips", "step", "kelips-console-durable", "--rounds", "10")).ExitCode);
        var lookup = await Run("kelips", "lookup", "kelips-console-durable", "song.mp3", "--json");
        Assert.Equal("la la", JsonDocument.Parse(lookup.Out).RootElement.GetProperty("content").GetString());

        // The home keeps two backups in its own affinity group.
        var home = NodeId.FromUInt64(ulong.Parse(JsonDocument.Parse(insert.Out).RootElement.GetProperty("home").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var groups = new AffinityGroups(((KelipsParameters)info.Parameters).GroupCount);
        var holders = 0;
        foreach (var m in await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-console-durable").GetMembersAsync())
        {
            var state = await fixture.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For("kelips-console-durable", m)).GetStateAsync();
            if (state.Backups!.Contains("song.mp3"))
            {
                holders++;
                Assert.Equal(groups.Of(home), state.Group);
            }
        }

        Assert.Equal(2, holders);
        Assert.Contains("kelips-console-durable", (await Run("list")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("delete", "kelips-console-durable")).ExitCode);
    }

    [Theory]
    [InlineData("kelips", "create", "kelips-not-created", "--replicas", "0")]
    [InlineData("kelips", "create", "kelips-not-created", "--expected", "100", "--replicas", "11")]
    [InlineData("kelips", "create", "kelips-not-created", "--expected", "16", "--groups", "16", "--replicas", "2")]
    [InlineData("kelips", "create", "kelips-not-created", "--replicas", "many")]
    [InlineData("kelips", "create", "kelips-not-created", "--durable", "yes-please")]
    public async Task Bad_durability_options_get_one_line_exit_2_and_create_nothing(params string[] args)
    {
        var outcome = await Run(args);
        var error = CliRunner.AssertRefused(outcome);
        if (args.Contains("--replicas") && args[^1] != "many")
        {
            Assert.Contains("replicas must be between 1 and the expected group size", error, StringComparison.Ordinal);
        }

        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-not-created").GetAsync());
    }
}
