using System.Diagnostics;

namespace P2POrleans.ProcessTests;

/// <summary>The silo process refuses bad clustering options with one line and exit code 2.</summary>
public sealed class SiloOptionsTests
{
    [Theory]
    [InlineData("unknown clustering", "--clustering", "zookeeper")]
    [InlineData("needs --redis-connection", "--clustering", "redis")]
    [InlineData("malformed --redis-connection", "--clustering", "redis", "--redis-connection", "127.0.0.1:port")]
    [InlineData("cannot reach Redis", "--clustering", "redis", "--redis-connection", "127.0.0.1:1")]
    [InlineData("unknown storage", "--storage", "disk")]
    [InlineData("--cluster-id must be", "--cluster-id", "a/b")]
    [InlineData("--probe-timeout must be a duration", "--probe-timeout", "soon")]
    [InlineData("--missed-probes must be a whole number", "--missed-probes", "0")]
    [InlineData("--death-votes (3) cannot exceed --probed-silos (2)", "--death-votes", "3", "--probed-silos", "2")]
    public async Task Bad_clustering_options_exit_2_with_one_error_line(string expected, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ProcessCluster.SiloDll());
        foreach (var a in args.Append("--no-dashboard"))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", (await stdout).Trim());
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }
}
