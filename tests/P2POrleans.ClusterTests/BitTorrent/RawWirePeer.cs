using System.Net;
using System.Net.Sockets;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>
/// A hand-driven BEP 3 peer on a raw socket, for the tests that misbehave on purpose: it writes
/// whatever bytes it is told and reads frames with the same decoder the members use.
/// </summary>
internal sealed class RawWirePeer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;
    private readonly FrameDecoder _decoder;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _filled;

    private RawWirePeer(Socket socket, PieceLayout layout)
    {
        _socket = socket;
        _decoder = new FrameDecoder(layout);
    }

    public static byte[] Id(string tag) => System.Text.Encoding.ASCII.GetBytes(("-XX0001-" + tag + "~~~~~~~~~~~~")[..20]);

    public static async Task<RawWirePeer> ConnectAsync(string endpoint, PieceLayout layout)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPEndPoint.Parse(endpoint), TestContext.Current.CancellationToken);
        return new RawWirePeer(socket, layout);
    }

    public static async Task<RawWirePeer> AcceptAsync(Socket listener, PieceLayout layout) =>
        new(await listener.AcceptAsync(TestContext.Current.CancellationToken), layout);

    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes, SocketFlags.None, TestContext.Current.CancellationToken).AsTask();

    public Task SendAsync(params PeerMessage[] messages) => SendAsync(FrameEncoder.Encode(messages));

    /// <summary>Stops sending (the other side reads the end of the stream), keeps reading.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The other side's handshake, or null if it closed instead.</summary>
    public async Task<WireHandshake?> ReadHandshakeAsync()
    {
        while (_filled < WireHandshake.Length)
        {
            if (await ReceiveAsync() == 0)
            {
                return null;
            }
        }

        var handshake = WireHandshake.Parse(_buffer.AsSpan(0, WireHandshake.Length));
        _buffer.AsSpan(WireHandshake.Length, _filled - WireHandshake.Length).CopyTo(_buffer);
        _filled -= WireHandshake.Length;
        return handshake;
    }

    /// <summary>The next message (keep-alives skipped), or null when the other side closed the connection.</summary>
    public async Task<PeerMessage?> ReadAsync()
    {
        while (true)
        {
            var status = _decoder.TryDecode(_buffer.AsSpan(0, _filled), out var message, out var used, out var error);
            if (status == FrameStatus.Error)
            {
                throw new InvalidOperationException($"the member sent a bad frame: {error}");
            }

            if (status == FrameStatus.Frame)
            {
                _buffer.AsSpan(used, _filled - used).CopyTo(_buffer);
                _filled -= used;
                if (message is not null and not KeepAliveMessage)
                {
                    return message;
                }

                continue;
            }

            if (await ReceiveAsync() == 0)
            {
                return null;
            }
        }
    }

    /// <summary>Reads until the other side closes; true if it did within the patience.</summary>
    public async Task<bool> ClosedByOtherSideAsync()
    {
        try
        {
            while (await ReadAsync() is not null)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // reset: closed just as well
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> ReceiveAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), SocketFlags.None, timeout.Token);
        _filled += n;
        return n;
    }
}
