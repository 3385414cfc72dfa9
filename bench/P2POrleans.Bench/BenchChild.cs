using System.Diagnostics;
using System.Reflection;
using System.Runtime;

namespace P2POrleans.Bench;

/// <summary>
/// Runs one benchmark in a child process of this program with the server garbage collector
/// (<see cref="IMacroBenchmark.ServerGc"/>), and adds the rows it measured to this run's report. The
/// collector is a start-up setting of a process, so this is how one benchmark gets it without the
/// user setting anything: the child's environment carries `DOTNET_gcServer=1`.
/// </summary>
public static class BenchChild
{
    private static readonly string[] CollectorSettings = ["DOTNET_gcServer", "DOTNET_gcConcurrent", "DOTNET_GCgen0size"];

    /// <summary>
    /// True unless this process already runs the server collector or the user chose a collector
    /// setting themselves (then every benchmark runs here, with their setting).
    /// </summary>
    public static bool Wanted => !GCSettings.IsServerGC && CollectorSettings.All(v => Environment.GetEnvironmentVariable(v) is null);

    public static async Task RunAsync(string benchmark, BenchReport report)
    {
        var json = Path.Combine(Path.GetTempPath(), $"p2p-bench-{benchmark}-{Environment.ProcessId}.json");
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location); // `dotnet P2POrleans.Bench.dll`
        }

        start.ArgumentList.Add(benchmark);
        start.ArgumentList.Add("--json");
        start.ArgumentList.Add(json);
        start.Environment["DOTNET_gcServer"] = "1";
        Console.WriteLine($"   (in a process of its own with the server garbage collector)");
        try
        {
            using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start the {benchmark} benchmark's process");
            await child.WaitForExitAsync();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"the {benchmark} benchmark's process exited with code {child.ExitCode}");
            }

            report.AddRows(await File.ReadAllTextAsync(json));
        }
        finally
        {
            File.Delete(json);
        }
    }
}
