using P2POrleans.Client;

namespace P2POrleans.ClusterTests;

/// <summary>Runs `p2p` command lines against a test cluster and captures what they print.</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Error);

    public static async Task<Outcome> RunAsync(IClusterClient client, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await P2PCli.RunAsync(args, client, output, error, TestContext.Current.CancellationToken);
        return new Outcome(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// The refusal every bad command line must give: exit code 2 and one line on standard error,
    /// starting "error: ", with no stack trace. Returns that line.
    /// </summary>
    public static string AssertRefused(Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
        return line;
    }
}
