using System.Net;
using Orleans.Dashboard;
using P2POrleans.Common;

// The P2POrleans silo: `dotnet run --project src/Silo [-- --silo-port 11111 --gateway-port 30000
// --dashboard-port 8080 --no-dashboard --trace console]`. Localhost clustering, in-memory storage.
// Bare switches become key=true so the command-line configuration provider accepts them.
string[] switches = ["--no-dashboard"];
args = args.Select(a => switches.Contains(a) ? a + "=true" : a).ToArray();
var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

if (!TryPort(config, "silo-port", 11111, out var siloPort, out var error)
    || !TryPort(config, "gateway-port", 30000, out var gatewayPort, out error)
    || !TryPort(config, "dashboard-port", 8080, out var dashboardPort, out error))
{
    Console.Error.WriteLine($"error: {error}");
    return 2;
}

var trace = config["trace"];
if (trace is not null and not "console")
{
    Console.Error.WriteLine($"error: --trace accepts only 'console' (got '{trace}')");
    return 2;
}

var dashboard = !string.Equals(config["no-dashboard"], "true", StringComparison.OrdinalIgnoreCase);

builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("P2POrleans", LogLevel.Information);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
builder.WebHost.UseUrls($"http://127.0.0.1:{dashboardPort}");
builder.Services.AddP2PTelemetry("p2porleans-silo", console: trace == "console");
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloPort, gatewayPort);
    silo.Configure<Orleans.Configuration.EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
    silo.AddP2POrleans();
    if (dashboard)
    {
        silo.AddDashboard();
    }
});

var app = builder.Build();
if (dashboard)
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"P2POrleans silo up: silo port {siloPort}, gateway port {gatewayPort}"
        + (dashboard ? $", dashboard http://127.0.0.1:{dashboardPort}/dashboard" : "") + ". Ctrl+C stops it."));
await app.RunAsync();
return 0;

static bool TryPort(IConfiguration config, string key, int fallback, out int port, out string error)
{
    error = "";
    var text = config[key];
    if (text is null)
    {
        port = fallback;
        return true;
    }

    if (!int.TryParse(text, out port) || port is < 1 or > 65535)
    {
        error = $"--{key} must be a port number between 1 and 65535 (got '{text}')";
        return false;
    }

    return true;
}
