using System.Globalization;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace P2POrleans.Hosting;

/// <summary>
/// How a silo or a client joins the cluster, parsed once for both (docs/cluster.md). Keys, as command-line
/// options or configuration: clustering (localhost|redis), redis-connection (StackExchange.Redis
/// syntax, e.g. 127.0.0.1:6379), cluster-id, storage (memory|redis) and, for clients,
/// gateway (localhost gateway ports, comma-separated). Configuration may also spell them
/// P2P:Clustering, P2P:RedisConnection, P2P:ClusterId, P2P:Storage, P2P:Gateway
/// (environment variables P2P__Clustering ...; appsettings.json section "P2P").
/// </summary>
public sealed record ClusteringSettings
{
    /// <summary>Orleans' localhost clustering default; the same for Redis, so a gateway list reaches either.</summary>
    public const string DefaultClusterId = "dev";

    public const int DefaultGatewayPort = 30000;

    public static readonly string[] Keys = ["clustering", "redis-connection", "cluster-id", "storage", "gateway"];

    public ClusteringMode Clustering { get; init; } = ClusteringMode.Localhost;

    /// <summary>The StackExchange.Redis configuration string; null unless Redis is used.</summary>
    public string? RedisConnection { get; init; }

    /// <summary>Orleans ClusterId and ServiceId (silos and clients of one cluster must agree).</summary>
    public string ClusterId { get; init; } = DefaultClusterId;

    public StorageMode Storage { get; init; } = StorageMode.Memory;

    /// <summary>Localhost gateways a client tries (ignored by silos and with Redis clustering).</summary>
    public IReadOnlyList<int> Gateways { get; init; } = [DefaultGatewayPort];

    public static ClusteringSettings Default { get; } = new();

    /// <summary>Reads the keys from configuration: plain keys first (command line), then the P2P section.</summary>
    public static bool TryParse(IConfiguration configuration, out ClusteringSettings settings, out string error) =>
        TryParse(key => configuration[key] ?? configuration["P2P:" + Pascal(key)], out settings, out error);

    /// <summary>Parses the keys as <paramref name="lookup"/> returns them (null: not given).</summary>
    public static bool TryParse(Func<string, string?> lookup, out ClusteringSettings settings, out string error)
    {
        settings = Default;
        var problem = Parse(lookup, out var parsed);
        // The values are echoed in the message: keep it one printable line whatever they hold.
        error = problem is null ? "" : new string(problem.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        if (problem is null)
        {
            settings = parsed!;
        }

        return problem is null;
    }

    private static string? Parse(Func<string, string?> lookup, out ClusteringSettings? settings)
    {
        settings = null;
        var clusteringText = lookup("clustering")?.Trim();
        ClusteringMode clustering;
        switch (clusteringText?.ToLowerInvariant())
        {
            case null or "" or "localhost":
                clustering = ClusteringMode.Localhost;
                break;
            case "redis":
                clustering = ClusteringMode.Redis;
                break;
            default:
                return $"unknown clustering '{clusteringText}' (use localhost or redis)";
        }

        var storageText = lookup("storage")?.Trim();
        StorageMode storage;
        switch (storageText?.ToLowerInvariant())
        {
            case null or "":
                storage = clustering == ClusteringMode.Redis ? StorageMode.Redis : StorageMode.Memory;
                break;
            case "memory":
                storage = StorageMode.Memory;
                break;
            case "redis":
                storage = StorageMode.Redis;
                break;
            default:
                return $"unknown storage '{storageText}' (use memory or redis)";
        }

        var connection = lookup("redis-connection");
        var needsRedis = clustering == ClusteringMode.Redis || storage == StorageMode.Redis;
        if (needsRedis)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                var what = clustering == ClusteringMode.Redis ? "--clustering redis" : "--storage redis";
                return $"{what} needs --redis-connection HOST:PORT (e.g. 127.0.0.1:6379)";
            }

            if (RedisConnectionProblem(connection) is { } problem)
            {
                return problem;
            }
        }
        else if (connection is not null)
        {
            return "--redis-connection is used only with --clustering redis or --storage redis";
        }

        var clusterIdText = lookup("cluster-id");
        var clusterId = DefaultClusterId;
        if (clusterIdText is not null)
        {
            if (ClusterIdProblem(clusterIdText) is { } problem)
            {
                return problem;
            }

            clusterId = clusterIdText;
        }

        IReadOnlyList<int> gateways = [DefaultGatewayPort];
        if (lookup("gateway") is { } gatewayText)
        {
            if (clustering == ClusteringMode.Redis)
            {
                return "--gateway lists localhost gateways; with --clustering redis the gateways come from Redis";
            }

            if (GatewaysProblem(gatewayText, out gateways) is { } problem)
            {
                return problem;
            }
        }

        settings = new ClusteringSettings
        {
            Clustering = clustering,
            Storage = storage,
            RedisConnection = needsRedis ? connection!.Trim() : null,
            ClusterId = clusterId,
            Gateways = gateways,
        };
        return null;
    }

    /// <summary>Endpoints must be host[:port]; options must be ones StackExchange.Redis knows.</summary>
    internal static string? RedisConnectionProblem(string text)
    {
        var bad = $"malformed --redis-connection '{text}'";
        var endpoints = 0;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                return $"{bad}: empty element (use HOST:PORT[,HOST:PORT][,option=value])";
            }

            if (part.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            endpoints++;
            var colon = part.LastIndexOf(':');
            var host = colon < 0 ? part : part[..colon];
            if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return $"{bad}: '{part}' is not HOST:PORT";
            }

            if (colon >= 0 && (!int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535))
            {
                return $"{bad}: the port of '{part}' must be a number between 1 and 65535";
            }
        }

        if (endpoints == 0)
        {
            return $"{bad}: no HOST:PORT endpoint";
        }

        try
        {
            ConfigurationOptions.Parse(text);
        }
        catch (ArgumentException e)
        {
            return $"{bad}: {e.Message.Split('\n')[0].Trim()}";
        }

        return null;
    }

    /// <summary>The id is part of Redis keys ("serviceId/members/clusterId"): keep it to a plain word.</summary>
    internal static string? ClusterIdProblem(string id)
    {
        if (id.Length is < 1 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            return $"--cluster-id must be 1 to 64 letters, digits, '.', '-' or '_' (got '{id}')";
        }

        return null;
    }

    internal static string? GatewaysProblem(string text, out IReadOnlyList<int> ports)
    {
        var list = new List<int>();
        ports = list;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return $"--gateway takes ports between 1 and 65535, comma-separated (got '{text}')";
            }

            if (!list.Contains(port))
            {
                list.Add(port);
            }
        }

        return null;
    }

    /// <summary>"redis-connection" -> "RedisConnection".</summary>
    public static string Pascal(string key) =>
        string.Concat(key.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    public string Describe() =>
        (Clustering == ClusteringMode.Redis ? $"redis clustering at {RedisConnection}" : "localhost clustering")
        + $" (cluster '{ClusterId}'), {Storage.ToString().ToLowerInvariant()} storage";
}
