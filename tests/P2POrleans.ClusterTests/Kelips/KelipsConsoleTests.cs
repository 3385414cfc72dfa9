using System.Text.Json;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

/// <summary>The console against a cluster: good commands work, bad input gets one line, exit 2 and no change.</summary>
[Collection(SharedCluster.Name)]
public sealed class KelipsConsoleTests(ClusterFixture fixture)
{
    private Task<CliRunner.Outcome> Run(params string[] args) => CliRunner.RunAsync(fixture.Client, args);

    [Fact]
    public async Task Create_join_step_insert_lookup_view_groups_check_leave_and_fail_from_the_console()
    {
        Assert.Equal(0, (await Run("kelips", "create", "kelips-console", "--expected", "16", "--bits", "32", "--seed", "3")).ExitCode);
        Assert.Equal(0, (await Run("kelips", "join", "kelips-console", "--count", "16")).ExitCode);
        Assert.Equal(0, (await Run("kelips", "join", "kelips-console", "--id", "4242")).ExitCode);
        Assert.Equal(0, (await Run("kelips", "step", "kelips-console", "--rounds", "25")).ExitCode);
        var insert = await Run("kelips", "insert", "kelips-console", "song.mp3", "--content", "la la", "--from", "4242", "--json");
        Assert.Equal(0, insert.ExitCode);
        Assert.Equal("4242", JsonDocument.Parse(insert.Out).RootElement.GetProperty("home").GetString());
        Assert.Equal(0, (await Run("kelips", "step", "kelips-console", "--rounds", "10")).ExitCode);

        var members = await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-console").GetMembersAsync();
        var groups = new AffinityGroups(4);
        var from = members.First(m => groups.Of(m) != groups.OfFile("song.mp3") && m != NodeId.FromUInt64(4242));
        var lookup = await Run("kelips", "lookup", "kelips-console", "song.mp3", "--from", from.Low64.ToString(), "--json");
        Assert.Equal(0, lookup.ExitCode);
        var json = JsonDocument.Parse(lookup.Out).RootElement;
        Assert.Equal("4242", json.GetProperty("owner").GetString());
        Assert.Equal("4242", json.GetProperty("home").GetString());
        Assert.Equal(1, json.GetProperty("hops").GetInt32());
        Assert.Equal(2, json.GetProperty("path").GetArrayLength());
        Assert.True(json.GetProperty("fetched").GetBoolean());
        Assert.Equal("la la", json.GetProperty("content").GetString());
        Assert.True(json.GetProperty("latency_ms").GetDouble() > 0);

        var check = await Run("kelips", "check", "kelips-console", "--json");
        Assert.Equal(0, check.ExitCode);
        Assert.Equal(1.0, JsonDocument.Parse(check.Out).RootElement.GetProperty("view_completeness").GetDouble());
        Assert.Contains("100.0%", (await Run("kelips", "groups", "kelips-console")).Out, StringComparison.Ordinal);
        Assert.Contains("song.mp3", (await Run("kelips", "view", "kelips-console", "--id", "4242")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("kelips", "remove", "kelips-console", "song.mp3", "--from", "4242")).ExitCode);
        Assert.Equal(0, (await Run("kelips", "leave", "kelips-console", "--id", "4242")).ExitCode);
        Assert.Equal(0, (await Run("kelips", "fail", "kelips-console", "--count", "2")).ExitCode);
        Assert.Equal(14, (await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-console").GetAsync())!.Members);
        Assert.Equal(0, (await Run("delete", "kelips-console")).ExitCode);
    }

    [Fact]
    public async Task Parallel_ticks_and_suspect_contacts_are_echoed_and_an_overlay_stepped_in_batches_converges()
    {
        var create = await Run("kelips", "create", "kelips-parallel", "--expected", "64", "--seed", "5", "--parallel-ticks", "16", "--contact-suspect", "30");
        Assert.Equal(0, create.ExitCode);
        Assert.Contains("contacts suspect after 30", create.Out, StringComparison.Ordinal);
        Assert.Contains("16 peers ticked at once", create.Out, StringComparison.Ordinal);
        var parameters = (KelipsParameters)(await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-parallel").GetAsync())!.Parameters;
        Assert.Equal((16, 30), (parameters.ParallelTicks, parameters.ContactSuspectRounds));
        Assert.Equal(0, (await Run("kelips", "join", "kelips-parallel", "--count", "64")).ExitCode);

        // Rounds tick 16 peers at once; gossip still completes every view (a barrier on the check, no sleep).
        var control = fixture.Client.GetGrain<IKelipsOverlayGrain>("kelips-parallel");
        var registry = fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-parallel");
        var rounds = 0;
        while (rounds < 200 && (await control.CheckAsync()) is var report && (report.CompleteViews < report.Peers || report.ContactCoverage < 1.0))
        {
            await registry.StepAsync(5);
            rounds += 5;
        }

        var final = await control.CheckAsync();
        Assert.Equal((64, 64), (final.Peers, final.CompleteViews));
        Assert.Equal(1.0, final.ContactCoverage);
        Assert.Equal(0, (await Run("delete", "kelips-parallel")).ExitCode);
    }

    [Theory]
    [InlineData("kelips", "create", "kelips-bad-new", "--expected", "0")]
    [InlineData("kelips", "create", "kelips-bad-new", "--contacts", "0")]
    [InlineData("kelips", "create", "kelips-bad-new", "--fanout", "-1")]
    [InlineData("kelips", "create", "kelips-bad-new", "--bits", "200")]
    [InlineData("kelips", "create", "kelips-bad-new", "--member-timeout", "1")]
    [InlineData("kelips", "create", "kelips-bad-new", "--contact-suspect", "-1")]
    [InlineData("kelips", "create", "kelips-bad-new", "--parallel-ticks", "0")]
    [InlineData("kelips", "create", "kelips-bad-new", "--parallel-ticks", "5000")]
    [InlineData("kelips", "create", "kelips-bad-new", "--groups", "many")]
    [InlineData("kelips", "create", "bad name!")]
    [InlineData("kelips", "create", "kelips-bad-input")]
    [InlineData("kelips", "join", "no-such-overlay", "--count", "3")]
    [InlineData("kelips", "join", "kelips-bad-input", "--count", "0")]
    [InlineData("kelips", "join", "kelips-bad-input", "--count", "2", "--id", "5")]
    [InlineData("kelips", "join", "kelips-bad-input", "--id", "0xZZ")]
    [InlineData("kelips", "join", "kelips-bad-input", "--id", "40")]
    [InlineData("kelips", "lookup", "kelips-bad-input")]
    [InlineData("kelips", "lookup", "kelips-bad-input", " ")]
    [InlineData("kelips", "lookup", "kelips-bad-input", "f", "--from", "77")]
    [InlineData("kelips", "lookup", "kelips-bad-input", "f", "--from", "0x1FFFFFFFFF")]
    [InlineData("kelips", "insert", "kelips-bad-input", "f", "--from", "77")]
    [InlineData("kelips", "remove", "kelips-bad-input", "never-inserted", "--from", "40")]
    [InlineData("kelips", "remove", "kelips-bad-input", "f")]
    [InlineData("kelips", "leave", "kelips-bad-input", "--id", "77")]
    [InlineData("kelips", "view", "kelips-bad-input", "--id", "77")]
    [InlineData("kelips", "fail", "kelips-bad-input")]
    [InlineData("kelips", "fail", "kelips-bad-input", "--count", "99")]
    [InlineData("kelips", "step", "kelips-bad-input", "--rounds", "0")]
    [InlineData("kelips", "check", "no-such-overlay")]
    [InlineData("kelips", "frobnicate", "kelips-bad-input")]
    public async Task Bad_input_gets_one_line_exit_2_and_changes_nothing(params string[] args)
    {
        var registry = fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-bad-input");
        if (await registry.GetAsync() is null)
        {
            try
            {
                await registry.CreateAsync(new KelipsParameters { Bits = 32, ExpectedPeers = 4, Seed = 1 });
                await fixture.Client.GetGrain<IKelipsOverlayGrain>("kelips-bad-input").JoinIdAsync(NodeId.FromUInt64(40));
                await fixture.Client.GetGrain<IKelipsOverlayGrain>("kelips-bad-input").JoinIdAsync(NodeId.FromUInt64(200));
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
        Assert.Null(await fixture.Client.GetGrain<IOverlayRegistryGrain>("kelips-bad-new").GetAsync());
    }
}
