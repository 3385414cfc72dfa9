using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.Tests.BitTorrent.Wire;

/// <summary>
/// <see cref="WirePeer"/>s joined by in-memory connections instead of sockets, on a fake clock:
/// everything one side sends is encoded into BEP 3 frames and decoded by the other side's
/// <see cref="FrameDecoder"/>, in order; a close is delivered after the frames sent before it.
/// </summary>
internal sealed class WireLoop
{
    private readonly Dictionary<(WirePeer Peer, int Connection), (WirePeer Other, int OtherConnection)> _links = [];
    private readonly Queue<(WirePeer To, int Connection, byte[]? Bytes)> _inFlight = new();
    private int _nextId;

    public double Now { get; private set; }

    /// <summary>Every close, as each side decided it (the side that did not decide sees <see cref="WireCloseReason.Closed"/>).</summary>
    public List<(WirePeer Peer, int Connection, WireCloseReason Reason)> Closes { get; } = [];

    public static WirePeer Peer(string name, PeerBehaviour behaviour, Metainfo meta, byte[]? content, SwarmParameters? parameters = null, int seed = 1)
    {
        parameters ??= new SwarmParameters { Seed = seed };
        var store = content is null ? new PieceStore(meta) : PieceStore.Seed(meta, content);
        var member = new SwarmMember(new PeerId(name), behaviour, parameters, store, new Random(seed), new Random(seed + 1), _ => 0, LinkModel.Wire);
        return new WirePeer(member, WirePeerIds.For(member.Self), 0);
    }

    /// <summary><paramref name="from"/> dials <paramref name="to"/>; both handshakes succeed. Returns the dialler's connection id.</summary>
    public int Connect(WirePeer from, WirePeer to)
    {
        var a = ++_nextId;
        var b = ++_nextId;
        _links[(from, a)] = (to, b);
        _links[(to, b)] = (from, a);
        Apply(from, from.OnConnected(a, to.PeerId, $"endpoint-{b}", incoming: false, Now));
        Apply(to, to.OnConnected(b, from.PeerId, $"endpoint-{a}", incoming: true, Now));
        return a;
    }

    public bool IsOpen(WirePeer peer, int connection) => _links.ContainsKey((peer, connection));

    /// <summary>Delivers and steps every 50 ms of fake time until <paramref name="done"/> or <paramref name="seconds"/> pass.</summary>
    public bool RunUntil(Func<bool> done, double seconds, IReadOnlyList<WirePeer> peers)
    {
        var end = Now + seconds;
        while (Now < end)
        {
            Deliver();
            if (done())
            {
                return true;
            }

            Now += 0.05;
            foreach (var peer in peers)
            {
                Apply(peer, peer.Step(Now));
            }
        }

        Deliver();
        return done();
    }

    private void Deliver()
    {
        while (_inFlight.TryDequeue(out var item))
        {
            var (to, connection, bytes) = item;
            if (bytes is null)
            {
                to.OnClosed(connection, WireCloseReason.Closed);
                continue;
            }

            var decoder = new FrameDecoder(to.Member.Store.Layout);
            var batch = new List<PeerMessage>();
            for (var offset = 0; offset < bytes.Length;)
            {
                var status = decoder.TryDecode(bytes.AsSpan(offset), out var message, out var used, out var error);
                Assert.True(status == FrameStatus.Frame, $"a frame we encoded did not decode: {status} {error}");
                offset += used;
                if (message is not null)
                {
                    batch.Add(message);
                }
            }

            if (batch.Count > 0)
            {
                Apply(to, to.OnMessages(connection, batch, Now));
            }
        }
    }

    private void Apply(WirePeer peer, WireOutput output)
    {
        foreach (var (connection, messages) in output.Sends)
        {
            if (_links.TryGetValue((peer, connection), out var other))
            {
                _inFlight.Enqueue((other.Other, other.OtherConnection, FrameEncoder.Encode(messages)));
            }
        }

        foreach (var (connection, reason) in output.Closes)
        {
            if (_links.Remove((peer, connection), out var other))
            {
                _links.Remove((other.Other, other.OtherConnection));
                Closes.Add((peer, connection, reason));
                peer.OnClosed(connection, WireCloseReason.Closed); // what the socket reports once closed
                _inFlight.Enqueue((other.Other, other.OtherConnection, null));
            }
        }
    }
}
