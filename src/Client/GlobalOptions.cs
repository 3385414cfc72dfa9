using System.CommandLine;
using P2POrleans.Hosting;

namespace P2POrleans.Client;

/// <summary>Options every command accepts (one instance per command tree).</summary>
public sealed class GlobalOptions
{
    public readonly Option<bool> Embedded = new("--embedded")
    {
        Description = "Host a silo inside this process instead of connecting to one",
        Recursive = true,
    };

    /// <summary>Localhost gateways; --gateway-port is the older spelling of the same option.</summary>
    public readonly Option<string?> Gateway = new("--gateway", "--gateway-port")
    {
        Description = "Gateway port(s) of local silos to connect to, e.g. 30000 or 30000,30002 (default 30000)",
        Recursive = true,
    };

    public readonly Option<string?> Clustering = new("--clustering")
    {
        Description = "How to find the cluster: localhost (gateway ports) or redis (gateways listed in Redis)",
        Recursive = true,
    };

    public readonly Option<string?> RedisConnection = new("--redis-connection")
    {
        Description = "Redis of the cluster, StackExchange.Redis syntax, e.g. 127.0.0.1:6379 (with --clustering redis)",
        Recursive = true,
    };

    public readonly Option<string?> ClusterId = new("--cluster-id")
    {
        Description = "Orleans cluster id: the silos' --cluster-id (default dev)",
        Recursive = true,
    };

    public readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON",
        Recursive = true,
    };

    public readonly Option<string?> Trace = new("--trace")
    {
        Description = "Export spans: 'console' prints them (OTLP is used when OTEL_EXPORTER_OTLP_ENDPOINT is set)",
        Recursive = true,
    };

    public readonly Option<string?> Timeout = new("--timeout")
    {
        Description = "Give up on the command after this long, e.g. 30s, 2m, 500ms (default: no limit; calls to an unreachable silo are retried for up to 30 s)",
        Recursive = true,
    };

    public GlobalOptions()
    {
        // Bad values are reported by ClusteringSettings (shared with the silo) before any connection.
        Trace.AcceptOnlyFromAmong("console");
    }
}
