using System.Diagnostics;

namespace P2POrleans.ProcessTests;

/// <summary>
/// scripts/cluster signals only its own processes (docs/cluster.md): a pid recorded in its run folder
/// that now runs another program (pids are reused) is left alone by `kill` and `down`.
/// </summary>
public sealed class ClusterScriptTests
{
    [Fact]
    public async Task Kill_and_down_leave_alone_a_recorded_pid_that_now_runs_another_program()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Directory.CreateTempSubdirectory("p2p-cluster-script-");
        using var stranger = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        try
        {
            var pid = stranger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "cluster.env"), "N=1\nBASE_PORT=23970\nREDIS_PORT=23972\nCLUSTER_ID=stranger\nSTORAGE=\nSILO_DLL=/nonexistent/P2POrleans.Silo.dll\n", ct);
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "silo-1.pid"), pid + "\n", ct);
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "silo-1.ports"), "23970 23971\n", ct);
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "redis.pid"), pid + "\n", ct);

            var (killCode, killOutput) = await ScriptAsync(run.FullName, ct, "kill", "1");
            Assert.NotEqual(0, killCode);
            Assert.Contains($"pid {pid} recorded for silo 1 now runs another program; left alone", killOutput, StringComparison.Ordinal);
            Assert.False(stranger.HasExited, "scripts/cluster kill signalled a process it did not start");

            var (downCode, downOutput) = await ScriptAsync(run.FullName, ct, "down");
            Assert.True(downCode == 0, downOutput);
            Assert.Contains($"pid {pid} recorded for silo 1 now runs another program; left alone", downOutput, StringComparison.Ordinal);
            Assert.Contains($"pid {pid} recorded for redis now runs another program; left alone", downOutput, StringComparison.Ordinal);
            Assert.False(stranger.HasExited, "scripts/cluster down signalled a process it did not start");
        }
        finally
        {
            stranger.Kill();
            await stranger.WaitForExitAsync(CancellationToken.None);
            run.Delete(recursive: true);
        }
    }

    private static Task<(int Code, string Output)> ScriptAsync(string runDir, CancellationToken cancellationToken, params string[] args) =>
        ProcessCluster.RunScriptAsync(new Dictionary<string, string> { ["P2P_RUN_DIR"] = runDir }, cancellationToken, args);
}
