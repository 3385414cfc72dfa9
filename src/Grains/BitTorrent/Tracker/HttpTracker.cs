using System.Collections.Concurrent;
using System.Net;

namespace P2POrleans.BitTorrent.Tracker;

/// <summary>
/// A BEP 3 tracker over HTTP on one local port: GET /announce (compact peer lists as in BEP 23, or
/// the original list of dictionaries) and GET /scrape. It parses and answers; who is in the swarm is
/// decided by the <paramref name="announce"/> callback (the swarm's tracker grain, the same
/// <see cref="TrackerState"/> rules as on simulated time). Disposing it stops the listener.
/// </summary>
public sealed class HttpTracker(int port, InfoHash infoHash, Func<TrackerAnnounce, Task<AnnounceResponse>> announce, Func<Task<ScrapeResult>> scrape) : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentDictionary<string, byte[]> _peerIds = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    public string AnnounceUrl => AnnounceUrlFor(port);

    public static string AnnounceUrlFor(int port) => $"http://127.0.0.1:{port}/announce";

    /// <summary>Starts listening; throws <see cref="HttpListenerException"/> when the port is taken.</summary>
    public void Start()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cancel.IsCancellationRequested)
        {
            return;
        }

        await _cancel.CancelAsync();
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5)));
        _cancel.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_cancel.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_cancel.Token);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        byte[] body;
        var status = 200;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "";
            var query = context.Request.Url?.Query ?? "";
            body = path switch
            {
                "/announce" => await AnnounceAsync(query, context.Request.RemoteEndPoint.Address),
                "/scrape" => TrackerReply.Scrape([(infoHash, await scrape())]),
                _ => NotFound(out status),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            body = TrackerReply.Failure("the tracker could not answer: " + e.Message);
        }

        try
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, _cancel.Token);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // the client went away, or we are stopping
        }
    }

    private async Task<byte[]> AnnounceAsync(string query, IPAddress remote)
    {
        var (request, error) = TrackerAnnounce.Parse(query, remote);
        if (request is null)
        {
            return TrackerReply.Failure(error!);
        }

        if (request.InfoHash != infoHash)
        {
            return TrackerReply.Failure($"this tracker serves only the torrent {infoHash}");
        }

        _peerIds[request.Peer.Value] = request.PeerId;
        var response = await announce(request);
        return TrackerReply.Announce(response, request.Compact, p => _peerIds.GetValueOrDefault(p.Value));
    }

    private static byte[] NotFound(out int status)
    {
        status = 404;
        return TrackerReply.Failure("only /announce and /scrape are served here");
    }
}
