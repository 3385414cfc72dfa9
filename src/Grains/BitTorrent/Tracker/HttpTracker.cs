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
    /// <summary>
    /// The re-announce interval we ask for. BEP 3 leaves it to the tracker (30 minutes is usual); the
    /// swarms here live minutes, and a seed learns of new leechers only when it announces.
    /// </summary>
    public const int IntervalSeconds = 30;

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentDictionary<string, byte[]> _peerIds = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    public int Port { get; private set; } = port;

    public string AnnounceUrl => AnnounceUrlFor(Port);

    public static string AnnounceUrlFor(int port) => $"http://127.0.0.1:{port}/announce";

    /// <summary>Starts listening; throws <see cref="HttpListenerException"/> when the port is taken.</summary>
    public void Start()
    {
        if (Port == 0)
        {
            // Any free port: ask the OS for one (HttpListener cannot bind port 0 itself).
            using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
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
            // The raw target: info_hash and peer_id are binary, so the query must reach the parser as sent.
            var target = context.Request.RawUrl ?? "";
            var mark = target.IndexOf('?', StringComparison.Ordinal);
            var path = mark < 0 ? target : target[..mark];
            var query = mark < 0 ? "" : target[(mark + 1)..];
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
        response = response with { IntervalSeconds = Math.Min(response.IntervalSeconds, IntervalSeconds) };
        return TrackerReply.Announce(response, request.Compact, p => _peerIds.GetValueOrDefault(p.Value));
    }

    private static byte[] NotFound(out int status)
    {
        status = 404;
        return TrackerReply.Failure("only /announce and /scrape are served here");
    }
}
