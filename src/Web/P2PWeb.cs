using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using P2POrleans.Web.Api;

namespace P2POrleans.Web;

/// <summary>
/// The live web view: a page, its JSON API under /api/ and SignalR pushes at /live, over any
/// <see cref="IGrainFactory"/> (the console's cluster client, or the silo's own). Started by
/// `p2p web`, `p2p demo --web` and the silo's --web-port.
/// </summary>
public static class P2PWeb
{
    /// <summary>Builds and starts the web server; dispose it to stop.</summary>
    public static async Task<WebServer> StartAsync(IGrainFactory grains, WebOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var app = Build(grains, options);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"cannot listen on {options.ListenUrl}: {e.Message}", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        return new WebServer(app, url, app.Services.GetRequiredService<LiveFeed>());
    }

    public static WebApplication Build(IGrainFactory grains, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(P2PWeb).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Warning).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(options.ListenUrl);
        builder.Services.AddSingleton<IHostLifetime, ServedLifetime>();
        builder.Services.AddSingleton(grains);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddSingleton<ProtocolApi, ChordApi>();
        builder.Services.AddSingleton<ProtocolApi, PastryApi>();
        builder.Services.AddSingleton<ProtocolApi, KelipsApi>();
        builder.Services.AddSingleton<ProtocolApi, GnutellaApi>();
        builder.Services.AddSingleton<ProtocolApi, NapsterApi>();
        builder.Services.AddSingleton<ProtocolApi, FastTrackApi>();
        builder.Services.AddSingleton<ProtocolApi, SwarmApi>();
        builder.Services.AddSingleton<ProtocolCatalog>();
        builder.Services.AddHostedService<OverlayWatcher>();
        builder.Services.AddSignalR().AddJsonProtocol(o => WebJson.Configure(o.PayloadSerializerOptions));

        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<LiveHub>("/live");
        OverlayEndpoints.Map(app);
        StaticAssets.Map(app);
        return app;
    }
}
