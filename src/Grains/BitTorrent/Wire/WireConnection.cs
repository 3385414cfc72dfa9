using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// One TCP connection speaking BEP 3: the handshake exchange, then a reader that decodes frames
/// (<see cref="FrameDecoder"/>) and hands each read's messages to the session in one batch, and a
/// writer that sends queued frames in order. Closing flushes what was queued. All waits honour the
/// session's cancellation token.
/// </summary>
internal sealed class WireConnection
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>BEP 3 peers send a keep-alive at least every 2 minutes; 3 without a byte is a dead connection.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(3);

    private const int ReadBufferSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cancel;
    private int _closed;

    public WireConnection(int id, Socket socket, string endpoint, bool incoming, CancellationToken sessionToken)
    {
        Id = id;
        _socket = socket;
        _socket.NoDelay = true;
        Endpoint = endpoint;
        Incoming = incoming;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
    }

    public int Id { get; }

    public string Endpoint { get; }

    public bool Incoming { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public static string Describe(EndPoint? endpoint) => endpoint is IPEndPoint ip ? $"{ip.Address}:{ip.Port}" : endpoint?.ToString() ?? "?";

    /// <summary>
    /// The BEP 3 handshake: the dialler writes first, the acceptor answers once it has read the
    /// dialler's and checked the info hash. Returns the remote handshake, or the reason to close.
    /// </summary>
    public async Task<(WireHandshake? Remote, WireCloseReason Error)> HandshakeAsync(WireHandshake ours)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            if (!Incoming)
            {
                await _socket.SendAsync(ours.ToBytes(), SocketFlags.None, timeout.Token);
            }

            var bytes = new byte[WireHandshake.Length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = await _socket.ReceiveAsync(bytes.AsMemory(read), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return (null, read == 0 ? WireCloseReason.Closed : WireCloseReason.BadHandshake);
                }

                read += n;
                if (bytes[0] != 19)
                {
                    return (null, WireCloseReason.BadHandshake); // not BEP 3 (e.g. an encrypted handshake)
                }
            }

            if (WireHandshake.Parse(bytes) is not { } remote)
            {
                return (null, WireCloseReason.BadHandshake);
            }

            if (remote.InfoHash != ours.InfoHash)
            {
                return (null, WireCloseReason.WrongInfoHash);
            }

            if (Incoming)
            {
                await _socket.SendAsync(ours.ToBytes(), SocketFlags.None, timeout.Token);
            }

            return (remote, WireCloseReason.Closed);
        }
        catch (OperationCanceledException) when (!_cancel.IsCancellationRequested)
        {
            return (null, WireCloseReason.Timeout);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return (null, WireCloseReason.Closed);
        }
    }

    /// <summary>Queues frames for the writer; ignored once closing.</summary>
    public void Send(IReadOnlyList<PeerMessage> messages)
    {
        if (!IsClosed)
        {
            var bytes = FrameEncoder.Encode(messages);
            if (bytes.Length > 0)
            {
                _frames.Writer.TryWrite(bytes);
            }
        }
    }

    /// <summary>Stops reading and closes once what was queued is written.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>Writes queued frames until closed; then shuts the socket down.</summary>
    public async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(_cancel.Token))
            {
                await _socket.SendAsync(frame, SocketFlags.None, _cancel.Token);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the reader sees the socket go and reports the close
        }
        finally
        {
            Close();
            _cancel.Cancel();
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already gone
            }

            _socket.Dispose();
        }
    }

    /// <summary>
    /// Decodes frames until the connection ends or breaks the protocol; each read's messages go to
    /// <paramref name="received"/> in one batch (awaited: a slow member slows the sender, as TCP does).
    /// Returns why it ended.
    /// </summary>
    public async Task<WireCloseReason> ReadLoopAsync(FrameDecoder decoder, Func<IReadOnlyList<PeerMessage>, Task> received)
    {
        var buffer = new byte[Math.Max(ReadBufferSize, decoder.MaxFrameLength + 4)];
        var filled = 0;
        try
        {
            while (!IsClosed)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
                idle.CancelAfter(IdleTimeout);
                int n;
                try
                {
                    n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token);
                }
                catch (OperationCanceledException) when (!_cancel.IsCancellationRequested)
                {
                    return WireCloseReason.Timeout;
                }

                if (n == 0)
                {
                    return filled == 0 ? WireCloseReason.Closed : WireCloseReason.Truncated;
                }

                filled += n;
                var batch = new List<PeerMessage>();
                var start = 0;
                while (true)
                {
                    var status = decoder.TryDecode(buffer.AsSpan(start, filled - start), out var message, out var used, out var error);
                    if (status == FrameStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == FrameStatus.Error)
                    {
                        if (batch.Count > 0)
                        {
                            await received(batch); // what came before the bad frame was valid
                        }

                        return error;
                    }

                    start += used;
                    if (message is not null)
                    {
                        batch.Add(message);
                    }
                }

                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
                if (batch.Count > 0)
                {
                    await received(batch);
                }
            }

            return WireCloseReason.Closed;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return WireCloseReason.Closed;
        }
        finally
        {
            Close();
        }
    }
}
