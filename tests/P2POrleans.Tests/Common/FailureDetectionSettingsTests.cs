using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.Tests.Common;

/// <summary>The silo's failure-detection options: defaults for one machine, every bad value one line.</summary>
public sealed class FailureDetectionSettingsTests
{
    private static (bool Ok, FailureDetectionSettings Settings, string Error) Parse(params string[] pairs)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            values[pairs[i]] = pairs[i + 1];
        }

        var ok = FailureDetectionSettings.TryParse(k => values.GetValueOrDefault(k), out var settings, out var error);
        return (ok, settings, error);
    }

    [Fact]
    public void Nothing_given_is_a_one_second_probe_three_misses_and_two_votes_applied_to_orleans()
    {
        var (ok, s, _) = Parse();
        Assert.True(ok);
        var options = new ClusterMembershipOptions();
        s.Apply(options);
        Assert.Equal((TimeSpan.FromSeconds(1), 3, 2, 10), (options.ProbeTimeout, options.NumMissedProbesLimit, options.NumVotesForDeathDeclaration, options.NumProbedSilos));
    }

    [Fact]
    public void Values_are_read_from_options_or_the_p2p_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["probe-timeout"] = "500ms",
            ["P2P:MissedProbes"] = "2",
            ["P2P:DeathVotes"] = "1",
            ["P2P:ProbedSilos"] = "3",
        }).Build();
        Assert.True(FailureDetectionSettings.TryParse(configuration, out var s, out _));
        Assert.Equal(new FailureDetectionSettings { ProbeTimeout = TimeSpan.FromMilliseconds(500), MissedProbes = 2, DeathVotes = 1, ProbedSilos = 3 }, s);
    }

    [Theory]
    [InlineData("--probe-timeout must be a duration", "probe-timeout", "fast")]
    [InlineData("--probe-timeout must be a duration", "probe-timeout", "10ms")]
    [InlineData("--missed-probes must be a whole number between 1 and 10", "missed-probes", "0")]
    [InlineData("--death-votes must be a whole number", "death-votes", "two")]
    [InlineData("--probed-silos must be a whole number", "probed-silos", "-1")]
    [InlineData("--death-votes (4) cannot exceed --probed-silos (3)", "death-votes", "4", "probed-silos", "3")]
    public void Bad_values_are_one_clear_line(string expected, params string[] pairs)
    {
        var (ok, _, error) = Parse(pairs);
        Assert.False(ok);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
