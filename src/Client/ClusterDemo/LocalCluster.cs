using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using P2POrleans.Hosting;

namespace P2POrleans.Client.ClusterDemo;

/// <summary>
/// A private cluster on this machine for the cluster scene: a redis-server without persistence on a free
/// port and N silo processes (`p2p host-silo`: Redis clustering, grain directory and storage, as
/// `scripts/cluster up N --storage redis`). Every process it started is SIGKILLed on dispose, and also
/// when this process exits any other way (Ctrl+C, SIGTERM); if this process is killed outright, the silos
/// notice their parent is gone, shut redis-server down and exit.
/// Logs go to a temporary folder, removed on dispose unless <see cref="KeepLogs"/>.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    /// <summary>Bound on one process's start (a Debug silo on a busy 2-core machine can take half a minute).</summary>
    public static readonly TimeSpan StartBound = TimeSpan.FromMinutes(2);

    private readonly List<ChildProcess> _all = [];
    private readonly ChildProcess?[] _silos;
    private readonly (int Silo, int Gateway)[] _ports;
    private readonly Lock _lock = new();
    private bool _disposed;

    private LocalCluster(string folder, int silos)
    {
        Folder = folder;
        _silos = new ChildProcess?[silos];
        _ports = Enumerable.Range(0, silos).Select(_ => (FreePort(), FreePort())).ToArray();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The folder holding the logs (redis.log, silo-I.log).</summary>
    public string Folder { get; }

    public int RedisPort { get; private set; }

    public int? RedisPid { get; private set; }

    public int Silos => _silos.Length;

    /// <summary>Keep the log folder on dispose (set when something went wrong, so the logs can be read).</summary>
    public bool KeepLogs { get; set; }

    public ClusteringSettings Settings => new()
    {
        Clustering = ClusteringMode.Redis,
        RedisConnection = $"127.0.0.1:{RedisPort.ToString(CultureInfo.InvariantCulture)}",
        Storage = StorageMode.Redis,
    };

    /// <summary>The full path of redis-server, or null when it is not on PATH.</summary>
    public static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts redis-server (<paramref name="redisServer"/>) on a free port, then <paramref name="silos"/> silos in parallel; returns once every silo has joined.</summary>
    public static async Task<LocalCluster> StartAsync(string redisServer, int silos, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(say);
        var cluster = new LocalCluster(Directory.CreateTempSubdirectory("p2p-demo-cluster-").FullName, silos);
        try
        {
            await cluster.StartRedisAsync(redisServer, cancellationToken);
            say($"redis-server on 127.0.0.1:{cluster.RedisPort} (pid {cluster.RedisPid}; private, nothing saved to disk)");
            await Task.WhenAll(Enumerable.Range(1, silos).Select(i => cluster.StartSiloAsync(i, cancellationToken)));
            for (var i = 1; i <= silos; i++)
            {
                say(cluster.Describe(i));
            }

            return cluster;
        }
        catch
        {
            cluster.KeepLogs = !cancellationToken.IsCancellationRequested;
            cluster.Dispose();
            throw;
        }
    }

    public int SiloPort(int index) => _ports[index - 1].Silo;

    public int? SiloPid(int index) => _silos[index - 1]?.Id;

    /// <summary>The 1-based index of the silo listening on <paramref name="siloPort"/>, or 0.</summary>
    public int IndexOf(int siloPort) => Array.FindIndex(_ports, p => p.Silo == siloPort) + 1;

    public string Describe(int index) =>
        $"silo {index}: pid {SiloPid(index)}, silo port {_ports[index - 1].Silo}, gateway {_ports[index - 1].Gateway}";

    /// <summary>SIGKILL of silo <paramref name="index"/>: a crash, with no goodbye to the cluster.</summary>
    public void Kill(int index)
    {
        _silos[index - 1]?.Kill();
    }

    /// <summary>Starts silo <paramref name="index"/> again on its ports; returns once it has joined.</summary>
    public Task RestartAsync(int index, CancellationToken cancellationToken) => StartSiloAsync(index, cancellationToken);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        KillAll();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (!KeepLogs)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task StartRedisAsync(string redisServer, CancellationToken cancellationToken)
    {
        RedisPort = FreePort();
        var start = new ProcessStartInfo(redisServer) { WorkingDirectory = Folder };
        foreach (var a in new[] { "--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(a);
        }

        var redis = Track(ChildProcess.Start("redis-server", start, Path.Combine(Folder, "redis.log")));
        RedisPid = redis.Id;
        await redis.WaitForLineAsync("Ready to accept connections", StartBound, cancellationToken);
    }

    private async Task StartSiloAsync(int index, CancellationToken cancellationToken)
    {
        var start = SelfStart();
        var (silo, gateway) = _ports[index - 1];
        foreach (var a in new[]
        {
            "--clustering", "redis", "--redis-connection", Settings.RedisConnection!,
            SiloHostCommand.Name, "--silo-port", silo.ToString(CultureInfo.InvariantCulture),
            "--gateway-port", gateway.ToString(CultureInfo.InvariantCulture),
            "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), SiloHostCommand.StopRedisOption,
        })
        {
            start.ArgumentList.Add(a);
        }

        var process = Track(ChildProcess.Start($"silo {index}", start, Path.Combine(Folder, $"silo-{index}.log")));
        _silos[index - 1] = process;
        await process.WaitForLineAsync(SiloHostCommand.UpLine, StartBound, cancellationToken);
    }

    private ChildProcess Track(ChildProcess process)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                process.Dispose();
                throw new OperationCanceledException("the cluster is being stopped");
            }

            _all.Add(process);
        }

        return process;
    }

    /// <summary>This console again: its own executable, or `dotnet p2p.dll` when it runs through dotnet (or inside another host).</summary>
    private static ProcessStartInfo SelfStart()
    {
        var path = Environment.ProcessPath;
        var self = typeof(LocalCluster).Assembly;
        if (path is not null && System.Reflection.Assembly.GetEntryAssembly() == self && Path.GetFileNameWithoutExtension(path) != "dotnet")
        {
            return new ProcessStartInfo(path);
        }

        var start = new ProcessStartInfo(path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet");
        start.ArgumentList.Add(self.Location);
        return start;
    }

    private void KillAll()
    {
        List<ChildProcess> all;
        lock (_lock)
        {
            all = [.. _all];
        }

        // Every SIGKILL first (quick, so a Ctrl+C leaves nothing even if this process is gone a moment later), then the waits.
        foreach (var process in all)
        {
            process.Signal();
        }

        foreach (var process in all)
        {
            process.Dispose();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
