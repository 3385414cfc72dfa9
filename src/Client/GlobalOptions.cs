using System.CommandLine;
using P2POrleans.Hosting;

namespace P2POrleans.Client;

/// <summary>Options every command accepts (one instance per command tree).</summary>
public sealed class GlobalOptions
{
    public readonly Option<bool> Embedded = Recursive<bool>("--embedded", "Host a silo inside this process instead of connecting to one");

    /// <summary>Localhost gateways; --gateway-port is the older spelling of the same option.</summary>
    public readonly Option<string?> Gateway = Recursive<string?>("--gateway", "Gateway port(s) of local silos to connect to, e.g. 30000 or 30000,30002 (default 30000)", aliases: ["--gateway-port"]);

    public readonly Option<string?> Clustering = Recursive<string?>("--clustering", "How to find the cluster: localhost (gateway ports) or redis (gateways listed in Redis)");

    public readonly Option<string?> RedisConnection = Recursive<string?>("--redis-connection", "Redis of the cluster, StackExchange.Redis syntax, e.g. 127.0.0.1:6379 (with --clustering redis)");

    public readonly Option<string?> ClusterId = Recursive<string?>("--cluster-id", "Orleans cluster id: the silos' --cluster-id (default dev)");

    public readonly Option<bool> Json = Recursive<bool>("--json", "Print machine-readable JSON");

    public readonly Option<string?> Trace = Recursive<string?>("--trace", "Export spans: 'console' prints them (OTLP is used when OTEL_EXPORTER_OTLP_ENDPOINT is set)");

    public readonly Option<string?> Timeout = Recursive<string?>("--timeout", "Give up on the command after this long, e.g. 30s, 2m, 500ms (default: no limit; calls to an unreachable silo are retried for up to 30 s)");

    public GlobalOptions()
    {
        // Bad values are reported by ClusteringSettings (shared with the silo) before any connection.
        Trace.AcceptOnlyFromAmong("console");
    }

    /// <summary>A global option: accepted after any subcommand, so `p2p chord ring x --json` works as `p2p --json chord ring x`.</summary>
    private static Option<T> Recursive<T>(string name, string description, string[]? aliases = null) =>
        new(name, aliases ?? []) { Description = description, Recursive = true };
}
