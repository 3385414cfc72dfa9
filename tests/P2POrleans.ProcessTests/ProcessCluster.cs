using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using P2POrleans.Client;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.ProcessTests;

/// <summary>
/// N silo processes and a private redis-server started through scripts/cluster in a private run
/// folder; always taken down on dispose (and any process it left is SIGKILLed by pid).
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private ProcessCluster(string repo, string runDir, int basePort, int silos)
    {
        Repo = repo;
        RunDir = runDir;
        BasePort = basePort;
        Silos = silos;
    }

    public string Repo { get; }

    public string RunDir { get; }

    public int BasePort { get; }

    public int Silos { get; }

    public int RedisPort { get; private set; }

    public ClusteringSettings Settings => new()
    {
        Clustering = ClusteringMode.Redis,
        RedisConnection = $"127.0.0.1:{RedisPort}",
        Storage = StorageMode.Redis,
    };

    public int SiloPort(int index) => BasePort + 2 * (index - 1);

    /// <summary>The 1-based index of the silo listening on this silo port, or 0.</summary>
    public int IndexOf(SiloAddress silo) =>
        Enumerable.Range(1, Silos).FirstOrDefault(i => SiloPort(i) == silo.Endpoint.Port);

    public static async Task<ProcessCluster> UpAsync(int silos, CancellationToken cancellationToken)
    {
        var repo = RepoRoot();
        var runDir = Path.Combine(Path.GetTempPath(), "p2p-process-tests", Guid.NewGuid().ToString("N")[..12]);
        var cluster = new ProcessCluster(repo, runDir, FreeBasePort(silos), silos);
        try
        {
            var (code, output) = await cluster.ScriptAsync(cancellationToken, "up", silos.ToString(System.Globalization.CultureInfo.InvariantCulture), "--base-port", cluster.BasePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(code == 0, $"scripts/cluster up failed ({code}): {output}");
            var env = File.ReadAllLines(Path.Combine(runDir, "cluster.env"));
            cluster.RedisPort = int.Parse(env.Single(l => l.StartsWith("REDIS_PORT=", StringComparison.Ordinal))[11..], System.Globalization.CultureInfo.InvariantCulture);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken) =>
        ClusterConnection.ConnectAsync(Settings with { Storage = StorageMode.Memory }, traceConsole: false, cancellationToken);

    /// <summary>SIGKILL through the script (it returns once the process is gone).</summary>
    public async Task KillAsync(int index, CancellationToken cancellationToken)
    {
        var (code, output) = await ScriptAsync(cancellationToken, "kill", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, $"scripts/cluster kill {index} failed ({code}): {output}");
    }

    /// <summary>Starts a killed silo again through the script (same ports, new generation; it returns once the silo is up).</summary>
    public async Task RestartAsync(int index, CancellationToken cancellationToken)
    {
        var (code, output) = await ScriptAsync(cancellationToken, "restart", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, $"scripts/cluster restart {index} failed ({code}): {output}");
    }

    public Task<(int Code, string Output)> ScriptAsync(CancellationToken cancellationToken, params string[] args) =>
        RunScriptAsync(new Dictionary<string, string>
        {
            ["P2P_RUN_DIR"] = RunDir,
            ["P2P_SILO_DLL"] = SiloDll(),
            ["P2P_REDIS_PORT"] = (BasePort + (2 * Silos)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken, args);

    /// <summary>Runs scripts/cluster with the given environment; its exit code and output (stdout, then stderr).</summary>
    public static async Task<(int Code, string Output)> RunScriptAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(args);
        var repo = RepoRoot();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = repo,
        };
        start.ArgumentList.Add(Path.Combine(repo, "scripts", "cluster"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await ScriptAsync(timeout.Token, "down");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
        }

        // Whatever the script could not stop (or never recorded as stopped) goes by pid.
        if (Directory.Exists(RunDir))
        {
            foreach (var file in Directory.GetFiles(RunDir, "*.pid"))
            {
                if (int.TryParse(File.ReadAllText(file).Trim(), out var pid))
                {
                    try
                    {
                        using var p = Process.GetProcessById(pid);
                        p.Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                    }
                }
            }
        }
    }

    /// <summary>The silo built with the same configuration as these tests (project reference).</summary>
    public static string SiloDll()
    {
        var configuration = typeof(ProcessCluster).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepoRoot(), "src", "Silo", "bin", configuration, "net10.0", "P2POrleans.Silo.dll");
        Assert.True(File.Exists(dll), $"no silo at {dll}");
        return dll;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2POrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A base port with 2N + 1 free ports after it (the last one for Redis) (checked now; the script checks again).</summary>
    private static int FreeBasePort(int silos)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = 23000 + (2 * random.Next(0, 8000));
            if (Enumerable.Range(port, (2 * silos) + 1).All(Free))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free port range found");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
