using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2POrleans.Hosting;
using StackExchange.Redis;

namespace P2POrleans.Client.ClusterDemo;

/// <summary>
/// `p2p host-silo` (hidden): one silo process as `scripts/cluster up N --storage redis` starts them
/// (Redis clustering, grain directory and storage; the failure detection of docs/cluster.md), hosted by
/// the console itself so `p2p demo --cluster` needs no path to a separately built silo. It exits when
/// stopped, and on its own when the process that started it (--parent-pid) is gone: a demo killed
/// from outside leaves no silo behind.
/// </summary>
public static class SiloHostCommand
{
    public const string Name = "host-silo";

    /// <summary>What the silo prints once Orleans has joined it to the cluster.</summary>
    public const string UpLine = "P2POrleans silo up";

    /// <summary>Set by a parent that started a private redis-server: the orphaned silos take it down with them.</summary>
    public const string StopRedisOption = "--stop-redis-with-parent";

    private static readonly TimeSpan ParentPoll = TimeSpan.FromMilliseconds(500);

    public static Command Build(GlobalOptions options, CommandEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(options);
        var siloPort = new Option<int>("--silo-port") { Required = true };
        var gatewayPort = new Option<int>("--gateway-port") { Required = true };
        var parent = new Option<int?>("--parent-pid") { Description = "exit when this process is no longer this silo's parent" };
        var redisToo = new Option<bool>(StopRedisOption) { Description = "when the parent is gone, also shut the cluster's Redis down (a private one the parent started)" };
        var command = new Command(Name, "Host one silo of a Redis cluster (used by `p2p demo --cluster`)") { siloPort, gatewayPort, parent, redisToo };
        command.Hidden = true;
        command.SetAction(async (parse, ct) =>
        {
            var lookup = (string key) => key switch
            {
                "clustering" => parse.GetValue(options.Clustering),
                "redis-connection" => parse.GetValue(options.RedisConnection),
                "cluster-id" => parse.GetValue(options.ClusterId),
                _ => null,
            };
            if (!ClusteringSettings.TryParse(lookup, out var settings, out var error))
            {
                throw new CliException(error);
            }

            if (settings.Clustering != ClusteringMode.Redis)
            {
                throw new CliException($"{Name} needs --clustering redis and --redis-connection");
            }

            var ports = new[] { parse.GetValue(siloPort), parse.GetValue(gatewayPort) };
            if (ports.Any(p => p is < 1 or > 65535))
            {
                throw new CliException($"--silo-port and --gateway-port must be port numbers between 1 and 65535 (got {ports[0]} and {ports[1]})");
            }

            if (await P2PClustering.RedisProblemAsync(settings.RedisConnection!, ct) is { } problem)
            {
                throw new CliException(problem);
            }

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Warning).SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("P2POrleans", LogLevel.Information);
            builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
            builder.UseOrleans(silo =>
            {
                silo.UseP2PClustering(settings, ports[0], ports[1]);
                silo.UseP2PFailureDetection(FailureDetectionSettings.Default);
                silo.AddP2POrleans();
            });
            using var host = builder.Build();
            await host.StartAsync(ct);
            await env.Session.Out.WriteLineAsync($"{UpLine}: silo port {ports[0]}, gateway port {ports[1]}, {settings.Describe()}, {FailureDetectionSettings.Default.Describe()}");
            await env.Session.Out.FlushAsync(ct);
            try
            {
                await UntilParentGoneAsync(parse.GetValue(parent), ct);

                // The demo was killed from outside (SIGKILL): nothing else will stop its redis-server. Then
                // exit at once: nothing here is worth saving, and a graceful stop would wait on the Redis just shut.
                if (parse.GetValue(redisToo))
                {
                    await ShutdownRedisAsync(settings.RedisConnection!);
                }

                // (Nothing is printed: the output went to the parent, and that pipe is closed.)
                Environment.Exit(P2PCli.Unavailable);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop below.
            }

            using var stopping = new CancellationTokenSource(CliSignals.Grace / 2);
            try
            {
                await host.StopAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return P2PCli.Ok;
        });
        return command;
    }

    /// <summary>SHUTDOWN NOSAVE to the cluster's Redis (another orphaned silo may have sent it already).</summary>
    private static async Task ShutdownRedisAsync(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 2000;
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            await redis.GetDatabase().ExecuteAsync("SHUTDOWN", "NOSAVE");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // gone already, or going: the connection drops as Redis stops
        }
    }

    /// <summary>Returns when <paramref name="parentPid"/> is no longer this process's parent (never when null).</summary>
    private static async Task UntilParentGoneAsync(int? parentPid, CancellationToken cancellationToken)
    {
        if (parentPid is not { } pid)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }

        while (ParentPid() is not { } current || current == pid)
        {
            await Task.Delay(ParentPoll, cancellationToken);
        }
    }

    /// <summary>This process's parent (Linux: /proc/self/stat; a child whose parent died is handed to another process), or null if unknown.</summary>
    private static int? ParentPid()
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
