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
}
