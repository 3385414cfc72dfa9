using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// The sockets of one member on the wire: a listener on its endpoint, the connections it accepts and
/// dials, and their handshakes, readers and writers. It decides nothing: every event goes to
/// <see cref="IWireEvents"/> (the member's grain, which runs <see cref="WirePeer"/>), which answers
/// with <see cref="Send"/> and <see cref="Close"/>. Disposing it cancels every wait and closes every socket.
/// </summary>
public sealed class WireSession : IAsyncDisposable
{
    public static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);

    private IPEndPoint _listen;
    private readonly WireHandshake _ours;
    private readonly FrameDecoder _decoder;
    private readonly IWireEvents _events;
    private readonly CancellationTokenSource _cancel;
    private readonly ConcurrentDictionary<int, WireConnection> _connections = new();
    private readonly ConcurrentDictionary<string, int> _dialing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private Socket? _listener;
    private int _nextId;
    private int _disposed;

    /// <param name="stopping">Cancelled when the host stops: every socket closes at once and no event is reported any more.</param>
    public WireSession(IPEndPoint listen, WireHandshake ours, PieceLayout layout, IWireEvents events, CancellationToken stopping)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _listen = listen;
        _ours = ours;
        _decoder = new FrameDecoder(layout);
        _events = events;
    }

    /// <summary>The endpoint listened on (after <see cref="Start"/>, the port actually bound).</summary>
    public IPEndPoint Listening => _listen;

    public string Endpoint => WireConnection.Describe(_listen);

    /// <summary>Binds the listener; throws <see cref="SocketException"/> when the endpoint is taken.</summary>
    public void Start()
    {
        var listener = new Socket(_listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_listen);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _listen = (IPEndPoint)listener.LocalEndPoint!; // port 0 asked for any free port: this is the one
        Track(AcceptLoopAsync(listener));
    }

    /// <summary>Dials <paramref name="remote"/> unless a connection to that endpoint is being dialled or open.</summary>
    public void Dial(IPEndPoint remote)
    {
        var endpoint = WireConnection.Describe(remote);
        if (_cancel.IsCancellationRequested || remote.Equals(_listen) || !_dialing.TryAdd(endpoint, 0))
        {
            return;
        }

        Track(DialAsync(remote, endpoint));
    }

    public bool IsDialling(string endpoint) => _dialing.ContainsKey(endpoint);

    public void Send(int connection, IReadOnlyList<PeerMessage> messages)
    {
        if (_connections.TryGetValue(connection, out var c))
        {
            c.Send(messages);
        }
    }

    /// <summary>Closes a connection after what was queued for it is written.</summary>
    public void Close(int connection)
    {
        if (_connections.TryGetValue(connection, out var c))
        {
            c.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _cancel.CancelAsync();
        _listener?.Dispose();
        foreach (var c in _connections.Values)
        {
            c.Close();
        }

        // The loops end promptly once cancelled; do not wait forever on a stuck event handler.
        await Task.WhenAny(Task.WhenAll(_running.Keys), Task.Delay(TimeSpan.FromSeconds(5)));
        _cancel.Dispose();
    }

    private void Track(Task task)
    {
        _running[task] = true;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_cancel.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_cancel.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            var connection = new WireConnection(Interlocked.Increment(ref _nextId), socket, WireConnection.Describe(socket.RemoteEndPoint), incoming: true, _cancel.Token);
            Track(RunAsync(connection));
        }
    }

    private async Task DialAsync(IPEndPoint remote, string endpoint)
    {
        var id = Interlocked.Increment(ref _nextId);
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
            timeout.CancelAfter(DialTimeout);
            await socket.ConnectAsync(remote, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            _dialing.TryRemove(endpoint, out _);
            await ReportAsync(() => _events.ClosedAsync(id, WireCloseReason.Unreachable));
            return;
        }

        try
        {
            await RunAsync(new WireConnection(id, socket, endpoint, incoming: false, _cancel.Token));
        }
        finally
        {
            _dialing.TryRemove(endpoint, out _);
        }
    }

    private async Task RunAsync(WireConnection c)
    {
        _connections[c.Id] = c;
        var (remote, error) = await c.HandshakeAsync(_ours);
        var writer = c.WriteLoopAsync();
        var reason = error;
        if (remote is not null)
        {
            reason = await ReportAsync(() => _events.ConnectedAsync(c.Id, remote.PeerId, c.Endpoint, c.Incoming))
                ? await c.ReadLoopAsync(_decoder, async batch =>
                {
                    if (!await ReportAsync(() => _events.ReceivedAsync(c.Id, batch)))
                    {
                        c.Close();
                    }
                })
                : WireCloseReason.Closed;
        }

        c.Close();
        await writer;
        _connections.TryRemove(c.Id, out _);
        await ReportAsync(() => _events.ClosedAsync(c.Id, reason));
    }

    /// <summary>Runs an event handler; false if it failed (the member is gone): the connection then ends.</summary>
    private async Task<bool> ReportAsync(Func<Task> report)
    {
        if (_cancel.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            await report();
            return true;
        }
        catch (Exception)
        {
            // The member stopped or its grain is gone: nobody to tell; the connection ends.
            return false;
        }
    }
}
