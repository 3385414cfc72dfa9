using Orleans.Dashboard;
using P2POrleans.Common;
using P2POrleans.Hosting;
using P2POrleans.Web;

// The P2POrleans silo: `dotnet run --project src/Silo [-- --silo-port 11111 --gateway-port 30000
// --dashboard-port 8080 --no-dashboard --trace console --clustering localhost|redis
// --redis-connection 127.0.0.1:6379 --cluster-id ID --storage memory|redis --web-port 5080 --web-host 127.0.0.1
// --probe-timeout 1s --missed-probes 3 --death-votes 2 --probed-silos 10]`. Localhost clustering and
// in-memory storage by default; every key can also come from appsettings.json or the environment
// (P2P__Clustering, P2P__RedisConnection, P2P__ProbeTimeout, ...; see ClusteringSettings,
// FailureDetectionSettings and docs/cluster.md).
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

// The live web view (docs/web.md), only when --web-port is given.
WebOptions? web = null;
if (config["web-port"] is not null)
{
    if (!TryPort(config, "web-port", WebOptions.DefaultPort, out var webPort, out error))
    {
        Console.Error.WriteLine($"error: {error}");
        return 2;
    }

    web = new WebOptions { Port = webPort, Host = config["web-host"] ?? "127.0.0.1" };
    if (web.Problem() is { } webProblem)
    {
        Console.Error.WriteLine($"error: {webProblem}");
        return 2;
    }
}

var trace = config["trace"];
if (trace is not null and not "console")
{
    Console.Error.WriteLine($"error: --trace accepts only 'console' (got '{trace}')");
    return 2;
}

if (!ClusteringSettings.TryParse(config, out var clustering, out error))
{
    Console.Error.WriteLine($"error: {error}");
    return 2;
}

if (!FailureDetectionSettings.TryParse(config, out var failureDetection, out error))
{
    Console.Error.WriteLine($"error: {error}");
    return 2;
}

if (clustering.RedisConnection is { } redis && await P2PClustering.RedisProblemAsync(redis, CancellationToken.None) is { } redisProblem)
{
    Console.Error.WriteLine($"error: {redisProblem}");
    return 2;
}

var dashboard = !string.Equals(config["no-dashboard"], "true", StringComparison.OrdinalIgnoreCase);

builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("P2POrleans", LogLevel.Information);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
// Without the dashboard the web host still starts: let it take any free port, so several silos on
// one machine (scripts/cluster) do not fight over 8080.
builder.WebHost.UseUrls($"http://127.0.0.1:{(dashboard ? dashboardPort : 0)}");
builder.Services.AddP2PTelemetry("p2porleans-silo", console: trace == "console");
builder.UseOrleans(silo =>
{
    silo.UseP2PClustering(clustering, siloPort, gatewayPort);
    silo.UseP2PFailureDetection(failureDetection);
    silo.AddP2POrleans();
    if (dashboard)
    {
        silo.AddDashboard();
    }
});

if (web is not null)
{
    builder.Services.AddP2PWeb(web);
}

var app = builder.Build();
if (dashboard)
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"P2POrleans silo up: silo port {siloPort}, gateway port {gatewayPort}, {clustering.Describe()}, {failureDetection.Describe()}"
        + (dashboard ? $", dashboard http://127.0.0.1:{dashboardPort}/dashboard" : "")
        + (web is not null ? $", web view http://{web.Host}:{web.Port}/" : "") + ". Ctrl+C stops it."));
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
