using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.Client;

/// <summary>
/// The client's way to the cluster: a gateway on localhost (a running silo), or a silo hosted in this
/// process (--embedded) so one command works on a fresh machine (README, "Quick start").
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost? _host;

    private ClusterConnection(IHost? host, IClusterClient client, string description)
    {
        _host = host;
        Client = client;
        Description = description;
    }

    public IClusterClient Client { get; }

    public string Description { get; }

    /// <summary>Whether the silos run in this process, so this process's heap measures their peers.</summary>
    public bool SiloInProcess { get; private init; }

    /// <summary>Set when the command left its grains to the end of the process (<see cref="CliSession.LeaveSiloToProcessEnd"/>): no graceful stop.</summary>
    public bool LeftToProcessEnd { get; set; }

    public static ClusterConnection Existing(IClusterClient client) => new(null, client, "test cluster") { SiloInProcess = true };

    public static async Task<ClusterConnection> EmbeddedAsync(bool traceConsole, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Warning).SetMinimumLevel(LogLevel.Error);

        // Once Ctrl+C or SIGTERM has abandoned the command, its calls still in flight fail as the silo
        // stops: expected, and not worth a screen of errors (the command's one line says what happened).
        builder.Logging.AddFilter((_, _, level) => level >= LogLevel.Error && CliSignals.Received is null);
        builder.Services.AddP2PTelemetry("p2porleans-embedded", traceConsole);
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.Configure<Orleans.Configuration.EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);

            // One silo owns the whole grain directory, and a directory lookup it cannot answer from its
            // cache it answers from its own partition at once: the cache (an LRU copy of every
            // activation's address, about 440 bytes a grain) only costs memory here (docs/bench.md, memory).
            silo.Configure<Orleans.Configuration.GrainDirectoryOptions>(o => o.CachingStrategy = Orleans.Configuration.GrainDirectoryOptions.CachingStrategyType.None);
            silo.AddP2POrleans();
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ClusterConnection(host, host.Services.GetRequiredService<IClusterClient>(), "embedded silo") { SiloInProcess = true };
    }

    public static async Task<ClusterConnection> ConnectAsync(ClusteringSettings settings, bool traceConsole, CancellationToken cancellationToken)
    {
        string where;
        if (settings.Clustering == ClusteringMode.Redis)
        {
            // Fail fast when Redis does not answer: the Orleans client would keep retrying it.
            where = $"the cluster '{settings.ClusterId}' in Redis at {settings.RedisConnection}";
            if (await P2PClustering.RedisProblemAsync(settings.RedisConnection!, cancellationToken) is { } problem)
            {
                throw new ClusterUnavailableException(problem);
            }
        }
        else
        {
            // Fail fast when nothing listens: the Orleans client would keep retrying the gateway.
            where = "localhost:" + string.Join(",", settings.Gateways);
            var listening = false;
            foreach (var port in settings.Gateways)
            {
                listening = listening || await GatewayListensAsync(port, cancellationToken);
            }

            if (!listening)
            {
                throw new ClusterUnavailableException($"no silo reachable at {where}; start one with `dotnet run --project src/Silo` or add --embedded");
            }
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddP2PTelemetry("p2porleans-client", traceConsole);
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.UseOrleansClient(client =>
        {
            client.UseP2PClustering(settings);
            client.AddActivityPropagation();

            // A step or a converged build of a large overlay is one long call.
            client.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(30));
        });
        var host = builder.Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await host.StartAsync(timeout.Token);
        }
        catch (Exception e) when (e is not CliException && !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterUnavailableException($"could not join {where} within 15 s: are the silos up and is --cluster-id theirs ('{settings.ClusterId}')? Start one with `dotnet run --project src/Silo` or `scripts/cluster up N`, or add --embedded");
        }

        return new ClusterConnection(host, host.Services.GetRequiredService<IClusterClient>(), $"silo gateway {where}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null && !LeftToProcessEnd)
        {
            // After Ctrl+C or SIGTERM the process has CliSignals.Grace to exit: a graceful stop that
            // runs out of time becomes an immediate one (the process is going away in any case).
            using var cts = new CancellationTokenSource(CliSignals.Received is null ? TimeSpan.FromSeconds(10) : CliSignals.Grace / 4);
            try
            {
                await _host.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }

            _host.Dispose();
        }
    }

    private static async Task<bool> GatewayListensAsync(int port, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
