using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace P2POrleans.Testing;

/// <summary>
/// A private redis-server for one test fixture or benchmark: a free port, a temp dir, no persistence
/// of its own (`--save "" --appendonly no`), killed at the end. Grain storage in Redis survives a silo
/// kill, unlike the in-memory storage whose grains live on the silos. One source file,
/// compiled into the cluster tests and the benchmarks (linked from their project files).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    private RedisServer(Process process, DirectoryInfo dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts redis-server and waits until it answers PING; a missing binary fails with a clear message.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var exe = FindExecutable() ?? throw new InvalidOperationException(
            "redis-server is not installed: durable-peer tests and benchmarks need a real Redis (apt-get install redis-server; .ci/run installs it)");
        var port = FreePort();
        var dir = Directory.CreateTempSubdirectory("p2p-redis-");
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir.FullName,
        };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.FullName })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, dir, port);

        // Barrier: the server answers PING (bounded; it takes a few ms).
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await server.CommandAsync("PING") == "+PONG")
                {
                    return server;
                }
            }
            catch (SocketException) when (attempt < 200 && !process.HasExited)
            {
            }

            if (process.HasExited || attempt >= 200)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server on port {port} did not answer PING");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Sends one inline command and returns the first reply line (e.g. "+PONG", ":42").</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
    }

    public async Task<long> KeyCountAsync() =>
        long.Parse((await CommandAsync("DBSIZE")).TrimStart(':'), CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                _dir.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string? FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/local/bin")
            .Select(d => Path.Combine(d, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
