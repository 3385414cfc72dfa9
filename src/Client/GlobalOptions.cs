using System.CommandLine;

namespace P2POrleans.Client;

/// <summary>Options every command accepts (one instance per command tree).</summary>
public sealed class GlobalOptions
{
    public readonly Option<bool> Embedded = new("--embedded")
    {
        Description = "Host a silo inside this process instead of connecting to one",
        Recursive = true,
    };

    public readonly Option<int> GatewayPort = new("--gateway-port")
    {
        Description = "Gateway port of the local silo to connect to",
        DefaultValueFactory = _ => 30000,
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

    public GlobalOptions()
    {
        GatewayPort.Validators.Add(r =>
        {
            var port = r.GetValueOrDefault<int>();
            if (port is < 1 or > 65535)
            {
                r.AddError($"--gateway-port must be between 1 and 65535 (got {port})");
            }
        });
        Trace.AcceptOnlyFromAmong("console");
    }
}
