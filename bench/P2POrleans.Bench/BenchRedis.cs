using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace P2POrleans.Bench;

/// <summary>A private redis-server (free port, temp dir, no persistence of its own) for the durability benchmark.</summary>
public sealed class BenchRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    private BenchRedis(Process process, DirectoryInfo dir, int port)
    {
        _process = process;
        _dir = dir;
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
    }

    public string ConnectionString { get; }

    public static async Task<BenchRedis> StartAsync()
    {
        var exe = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server)");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var dir = Directory.CreateTempSubdirectory("p2p-bench-redis-");
        var start = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = dir.FullName };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.FullName })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new BenchRedis(process, dir, port);
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        process.Kill();
        throw new InvalidOperationException("redis-server did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Delete(recursive: true);
    }
}
