using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Configuration;
using P2POrleans.Common;
using StackExchange.Redis;

namespace P2POrleans.Hosting;

/// <summary>
/// Applies <see cref="ClusteringSettings"/> to a silo or a client (Orleans' own providers only: no
/// cluster machinery of ours), and checks up front that Redis answers, so a bad setting is one clear
/// error instead of Orleans retrying forever.
/// </summary>
public static class P2PClustering
{
    public static ISiloBuilder UseP2PClustering(this ISiloBuilder silo, ClusteringSettings settings, int siloPort, int gatewayPort)
    {
        if (settings.Clustering == ClusteringMode.Redis)
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(settings));

            // The default grain directory is partitioned over the silos, and a silo that crashes
            // takes its partition along: Orleans then deactivates the grains on *surviving* silos
            // that were registered there, and volatile peers come back empty (the spread-replica
            // process test lost 81 and 154 of 1,000 keys that way). Kept in Redis, the directory
            // outlives any silo, so a crash takes only the grains that lived on the dead silo.
            silo.UseRedisGrainDirectoryAsDefault(o => o.ConfigurationOptions = RedisOptions(settings));
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ClusterId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: settings.ClusterId, clusterId: settings.ClusterId);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
        }

        if (settings.Storage == StorageMode.Redis)
        {
            // Registered before AddP2POrleans, which then keeps it instead of its in-memory default.
            silo.AddP2PRedisStorage(settings.RedisConnection!);
        }

        return silo;
    }

    /// <summary>Orleans' membership probes as <paramref name="settings"/> say (process silos; test clusters keep Orleans' defaults).</summary>
    public static ISiloBuilder UseP2PFailureDetection(this ISiloBuilder silo, FailureDetectionSettings settings) =>
        silo.Configure<ClusterMembershipOptions>(settings.Apply);

    /// <summary>
    /// Redis grain storage under <see cref="P2PStorage.Name"/>, writing state with Orleans' own
    /// serializer: the provider's default (Newtonsoft JSON) silently drops the private fields of
    /// value types such as NodeId, so every id read back would be 0.
    /// </summary>
    public static ISiloBuilder AddP2PRedisStorage(this ISiloBuilder silo, string connection)
    {
        var settings = new ClusteringSettings { Storage = StorageMode.Redis, RedisConnection = connection };
        return silo.AddRedisGrainStorage(P2PStorage.Name, (OptionsBuilder<RedisStorageOptions> options) => options.Configure<IServiceProvider>((o, services) =>
        {
            o.ConfigurationOptions = RedisOptions(settings);
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        }));
    }

    public static IClientBuilder UseP2PClustering(this IClientBuilder client, ClusteringSettings settings)
    {
        if (settings.Clustering == ClusteringMode.Redis)
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(settings));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ClusterId;
            });
        }
        else
        {
            client.UseLocalhostClustering([.. settings.Gateways], serviceId: settings.ClusterId, clusterId: settings.ClusterId);
        }

        return client;
    }

    /// <summary>Null when Redis answers a PING within a few seconds; else the one line to show.</summary>
    public static async Task<string?> RedisProblemAsync(string connection, CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 3000;
        options.SyncTimeout = 3000;
        options.AsyncTimeout = 3000;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            await multiplexer.GetDatabase().PingAsync();
            return null;
        }
        catch (RedisConnectionException)
        {
            return $"cannot reach Redis at '{connection}' (refused, or no answer within 3 s): is redis-server running there?";
        }
        catch (Exception e) when (e is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"cannot reach Redis at '{connection}' ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})";
        }
    }

    /// <summary>The hash Orleans' Redis clustering keeps members in (RedisClusteringOptions.DefaultCreateRedisKey).</summary>
    public static string MembershipKey(ClusteringSettings settings) => $"{settings.ClusterId}/members/{settings.ClusterId}";

    private static ConfigurationOptions RedisOptions(ClusteringSettings settings)
    {
        var options = ConfigurationOptions.Parse(settings.RedisConnection ?? throw new InvalidOperationException("no Redis connection"));

        // Checked at start-up by RedisProblemAsync; afterwards a short Redis outage must not crash a silo.
        options.AbortOnConnectFail = false;
        return options;
    }
}
