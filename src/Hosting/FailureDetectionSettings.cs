using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace P2POrleans.Hosting;

/// <summary>
/// How fast the silos declare a crashed silo dead: Orleans' membership probes, tuned for silos on one
/// machine or a LAN (docs/cluster.md, "Failure detection"). Keys, as silo command-line options or
/// configuration: probe-timeout (a duration: the first probe timeout and period, adapted by Orleans
/// between half and four times it), missed-probes (probes missed in a row before a silo suspects
/// another), death-votes (suspicions needed to declare it dead), probed-silos (silos each one probes).
/// Configuration may also spell them P2P:ProbeTimeout, ... (environment P2P__ProbeTimeout, ...).
/// </summary>
public sealed record FailureDetectionSettings
{
    public static readonly string[] Keys = ["probe-timeout", "missed-probes", "death-votes", "probed-silos"];

    /// <summary>Orleans' default is 5 s, made for data centres and busy networks; a loopback probe answers in well under a millisecond.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public int MissedProbes { get; init; } = 3;

    public int DeathVotes { get; init; } = 2;

    public int ProbedSilos { get; init; } = 10;

    public static FailureDetectionSettings Default { get; } = new();

    public static bool TryParse(IConfiguration configuration, out FailureDetectionSettings settings, out string error) =>
        TryParse(key => configuration[key] ?? configuration["P2P:" + ClusteringSettings.Pascal(key)], out settings, out error);

    public static bool TryParse(Func<string, string?> lookup, out FailureDetectionSettings settings, out string error)
    {
        settings = Default;
        error = "";
        var probe = Default.ProbeTimeout;
        if (lookup("probe-timeout") is { } probeText)
        {
            if (!DurationText.TryParse(probeText, out probe) || probe < TimeSpan.FromMilliseconds(100) || probe > TimeSpan.FromMinutes(1))
            {
                error = $"--probe-timeout must be a duration between 100ms and 1m, e.g. 1s or 500ms (got '{Printable(probeText)}')";
                return false;
            }
        }

        if (!TryCount(lookup, "missed-probes", Default.MissedProbes, 1, 10, out var missed, out error)
            || !TryCount(lookup, "death-votes", Default.DeathVotes, 1, 10, out var votes, out error)
            || !TryCount(lookup, "probed-silos", Default.ProbedSilos, 1, 30, out var probed, out error))
        {
            return false;
        }

        if (votes > probed)
        {
            error = $"--death-votes ({votes}) cannot exceed --probed-silos ({probed}): only silos that probe a silo vote on it";
            return false;
        }

        settings = new FailureDetectionSettings { ProbeTimeout = probe, MissedProbes = missed, DeathVotes = votes, ProbedSilos = probed };
        return true;
    }

    /// <summary>Sets Orleans' membership options (ClusterMembershipOptions) from these settings.</summary>
    public void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = MissedProbes;
        options.NumVotesForDeathDeclaration = DeathVotes;
        options.NumProbedSilos = ProbedSilos;
    }

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"failure detection: probe timeout {DurationText.Format(ProbeTimeout)}, {MissedProbes} missed probes, {DeathVotes} votes");

    private static bool TryCount(Func<string, string?> lookup, string key, int fallback, int min, int max, out int value, out string error)
    {
        error = "";
        value = fallback;
        if (lookup(key) is not { } text)
        {
            return true;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"--{key} must be a whole number between {min} and {max} (got '{Printable(text)}')";
            return false;
        }

        return true;
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
}
