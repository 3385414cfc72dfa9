namespace P2POrleans.Web;

/// <summary>A running web view: its address and the feed the demo pushes to.</summary>
public sealed class WebServer(WebApplication app, Uri url, LiveFeed feed) : IAsyncDisposable
{
    public Uri Url { get; } = url;

    public LiveFeed Feed { get; } = feed;

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync();
    }
}
