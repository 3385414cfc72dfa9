namespace P2POrleans.Web;

/// <summary>
/// Serves the web view from a host that already runs a silo (`--web-port` on the silo): started after
/// the silo (hosted services start in registration order), over the silo's own grain factory.
/// </summary>
public sealed class WebHostedService(IGrainFactory grains, WebOptions options, ILogger<WebHostedService> logger) : IHostedService, IAsyncDisposable
{
    private WebServer? _server;

    /// <summary>Where the page is served, once started.</summary>
    public Uri? Url => _server?.Url;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Warning is { } warning)
        {
            logger.LogWarning("{Warning}", warning);
        }

        _server = await P2PWeb.StartAsync(grains, options, cancellationToken);
        logger.LogInformation("web view at {Url}", _server.Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
