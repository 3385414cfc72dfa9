using System.Text.Json;
using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Soak;

/// <summary>
/// The bounded churn soak: 10% of the peers replaced every round, stabilization running,
/// then every key read after the overlay settles.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class SoakTests(ClusterFixture fixture)
{
    /// <summary>
    /// Chord keeps exactly r copies (docs/chord.md, "Where copies live"), so a key is gone when its owner
    /// and its r - 1 successors crash in the same round: with this seed the owner of (593227211,
    /// 696970745] and its two successors all crash in round 3 and its 9 keys go with them. What the
    /// overlay must do is find every key a live peer still holds: the keys read as lost are exactly
    /// those no live peer holds, and they are few.
    /// </summary>
    [Fact]
    public async Task Chord_with_a_tenth_of_the_peers_replaced_per_round_finds_every_key_a_live_peer_still_holds_after_stabilization()
    {
        const string overlay = "soak-chord";
        await fixture.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(new ChordParameters { Seed = 11, Bits = 32, Successors = 8, Replicas = 3 });
        await fixture.Client.GetGrain<IChordOverlayGrain>(overlay).BuildConvergedAsync(100);
        var report = await SoakAsync(overlay);

        Assert.Equal(6, report.GetProperty("rounds").GetInt32());
        Assert.Equal(60, report.GetProperty("failed").GetInt32());
        Assert.Equal(60, report.GetProperty("joined").GetInt32());
        Assert.Equal(100, report.GetProperty("peers_at_end").GetInt32());
        var members = await fixture.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync();
        Assert.Equal(100, members.Count);
        Assert.True(report.GetProperty("lookups").GetInt32() == 240);

        var held = new HashSet<string>();
        foreach (var member in members)
        {
            foreach (var item in await fixture.Client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, member)).GetItemsAsync())
            {
                held.Add(item.Key);
            }
        }

        var gone = Enumerable.Range(0, 200).Count(i => !held.Contains($"soak-3-{i}"));
        Assert.True(report.GetProperty("keys_lost").GetInt32() == gone, $"{gone} keys held by no live peer; {report}");
        // Few: whole ranges whose r places crashed together (here one range of 9 keys), at most 5 %.
        Assert.True(gone <= 200 / 20, report.ToString());
    }

    [Fact]
    public async Task Pastry_with_a_tenth_of_the_peers_replaced_per_round_still_answers_99_percent_after_stabilization()
    {
        const string overlay = "soak-pastry";
        await fixture.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(new PastryParameters { Seed = 12 });
        await fixture.Client.GetGrain<IPastryOverlayGrain>(overlay).BuildConvergedAsync(100);
        var report = await SoakAsync(overlay);

        Assert.Equal(60, report.GetProperty("failed").GetInt32());
        Assert.Equal(100, report.GetProperty("peers_at_end").GetInt32());
        Assert.True(report.GetProperty("success_after_settling").GetDouble() >= 0.99, report.ToString());
    }

    [Theory]
    [InlineData("--minutes", "0", "--minutes must be above 0")]
    [InlineData("--minutes", "61", "--minutes must be above 0")]
    [InlineData("--rounds", "0", "--rounds must be between")]
    [InlineData("--join-rate", "abc", "--join-rate must be a number of peers")]
    [InlineData("--fail-rate", "60%", "--fail-rate must be a share between 0% and 50%")]
    [InlineData("--fail-rate", "-1", "--fail-rate must be a number of peers")]
    [InlineData("--lookup-rate", "-5", "--lookup-rate must be between")]
    [InlineData("--keys", "0", "--keys must be between")]
    [InlineData("--settle", "5000", "--settle must be between")]
    public async Task Bad_soak_arguments_get_one_error_line_and_change_nothing(string option, string value, string expected)
    {
        const string overlay = "soak-bad";
        var registry = fixture.Client.GetGrain<IOverlayRegistryGrain>(overlay);
        if (await registry.GetAsync() is null)
        {
            await registry.CreateAsync(new ChordParameters { Seed = 13, Bits = 32 });
            await fixture.Client.GetGrain<IChordOverlayGrain>(overlay).BuildConvergedAsync(8);
        }

        var before = await registry.GetMembersAsync();
        var outcome = await CliRunner.RunAsync(fixture.Client, "soak", overlay, option, value);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, await registry.GetMembersAsync());
    }

    [Fact]
    public async Task Soak_refuses_unknown_overlays_unsupported_protocols_and_overlays_without_peers()
    {
        var unknown = await CliRunner.RunAsync(fixture.Client, "soak", "soak-no-such-overlay");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no overlay named 'soak-no-such-overlay'", unknown.Error, StringComparison.Ordinal);

        await fixture.Client.GetGrain<IOverlayRegistryGrain>("soak-empty").CreateAsync(new ChordParameters { Seed = 14 });
        var empty = await CliRunner.RunAsync(fixture.Client, "soak", "soak-empty");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("has 0 peers", empty.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(fixture.Client, "gnutella", "create", "soak-gnutella", "--peers", "10")).ExitCode);
        var gnutella = await CliRunner.RunAsync(fixture.Client, "soak", "soak-gnutella");
        Assert.Equal(2, gnutella.ExitCode);
        Assert.Contains("soak runs on chord, pastry, kelips", gnutella.Error, StringComparison.Ordinal);
    }

    private async Task<JsonElement> SoakAsync(string overlay)
    {
        var outcome = await CliRunner.RunAsync(fixture.Client, "soak", overlay, "--rounds", "6", "--join-rate", "10%", "--fail-rate", "10%",
            "--lookup-rate", "40", "--keys", "200", "--settle", "5", "--seed", "3", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        using var json = JsonDocument.Parse(outcome.Out);
        return json.RootElement.Clone();
    }
}
