using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>
/// A real BitTorrent client for the interop tests: transmission-cli (Debian package transmission-cli;
/// scripts/test installs it when missing) with a private config folder, on loopback, with DHT, local
/// peer discovery, PEX and uTP off and plaintext preferred, so it speaks plain BEP 3 over TCP as we do.
/// transmission-cli has no "exit when done": the tests watch its files and kill it (and its children).
/// </summary>
internal sealed class TransmissionPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _config;

    private TransmissionPeer(Process process, string config, int port)
    {
        _process = process;
        _config = config;
        Port = port;
    }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Require(string tool)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException($"{tool} is not installed (Debian package transmission-cli; scripts/test installs it)");
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Makes a .torrent of one file with transmission-create, announcing to <paramref name="announce"/>.</summary>
    public static async Task CreateTorrentAsync(string file, string torrent, string announce)
    {
        using var create = Process.Start(new ProcessStartInfo(Require("transmission-create"), ["-o", torrent, "-t", announce, file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await create.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(create.ExitCode == 0 && File.Exists(torrent), "transmission-create failed: " + await create.StandardError.ReadToEndAsync());
    }

    /// <summary>Starts transmission-cli on <paramref name="torrent"/>, keeping data in <paramref name="folder"/> (a seed: the file is already there).</summary>
    public static TransmissionPeer Start(string torrent, string folder)
    {
        var port = FreePort();
        var config = Directory.CreateTempSubdirectory("p2p-transmission-").FullName;
        File.WriteAllText(Path.Combine(config, "settings.json"), $$"""
            {
              "dht-enabled": false,
              "lpd-enabled": false,
              "pex-enabled": false,
              "utp-enabled": false,
              "port-forwarding-enabled": false,
              "encryption": 0,
              "peer-port": {{port}},
              "peer-port-random-on-start": false,
              "rpc-enabled": false,
              "speed-limit-up-enabled": false,
              "speed-limit-down-enabled": false,
              "ratio-limit-enabled": false,
              "idle-seeding-limit-enabled": false
            }
            """);
        var start = new ProcessStartInfo(Require("transmission-cli"), ["-g", config, "-w", folder, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-et", "-M", "-U", "-D", torrent])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = new Process { StartInfo = start };
        var peer = new TransmissionPeer(process, config, port);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Waits until the client accepts TCP connections on its peer port (it is up).</summary>
    public async Task WaitListeningAsync() => await WaitAsync(async () =>
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }, "listening on its peer port");

    /// <summary>Waits until its output says it seeds (for a seed: the data was verified).</summary>
    public Task WaitSeedingAsync() => WaitAsync(() => Task.FromResult(Output.Contains("Seeding", StringComparison.Ordinal)), "seeding");

    /// <summary>Waits until <paramref name="path"/> holds exactly <paramref name="expected"/>.</summary>
    public Task WaitForFileAsync(string path, byte[] expected) =>
        WaitAsync(async () => File.Exists(path) && (await File.ReadAllBytesAsync(path)).AsSpan().SequenceEqual(expected), $"a complete {Path.GetFileName(path)}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // already gone
        }

        _process.Dispose();
        Directory.Delete(_config, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.False(_process.HasExited, $"transmission-cli exited before {what}: {Tail()}");
            Assert.True(DateTime.UtcNow < deadline, $"transmission-cli was not {what} within 60 s: {Tail()}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private string Tail()
    {
        var text = Output.Replace('\r', '\n');
        return text.Length > 1500 ? text[^1500..] : text;
    }
}
