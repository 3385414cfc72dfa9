using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Swarm;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// A swarm member on the wire, without sockets: the same <see cref="SwarmMember"/> engine as on
/// simulated time (pickers, choker, strikes and bans), driven by real time and by connection events.
/// A connection is attached to the engine once both handshakes are done: incoming ones as a
/// handshake the engine may refuse (full, banned), outgoing ones as a connection we opened. Every
/// event runs the engine at once (a "tick" of real time: no batching delay on the wire), and its
/// messages are mapped back to connections. Pure and single-threaded: the grain calls it.
/// </summary>
public sealed class WirePeer
{
    private readonly Dictionary<int, WireLink> _links = [];
    private readonly Dictionary<PeerId, int> _byPeer = [];
    private readonly Dictionary<int, WireCloseReason> _closing = [];
    private readonly SortedDictionary<string, int> _closed = new(StringComparer.Ordinal);
    private long _tick;
    private double _lastStepAt;

    public WirePeer(SwarmMember member, byte[] peerId, double now)
    {
        Member = member;
        PeerId = peerId;
        _lastStepAt = now;
    }

    public SwarmMember Member { get; }

    /// <summary>Our 20-byte peer id.</summary>
    public byte[] PeerId { get; }

    public IReadOnlyCollection<WireLink> Links => _links.Values;

    /// <summary>Connections closed so far, by reason.</summary>
    public IReadOnlyDictionary<string, int> Closed => _closed;

    public bool IsConnectedTo(string endpoint) => _links.Values.Any(l => l.Endpoint == endpoint);

    /// <summary>Both handshakes are done on connection <paramref name="connection"/>: attach it to the engine, or close it.</summary>
    public WireOutput OnConnected(int connection, byte[] remoteId, string endpoint, bool incoming, double now)
    {
        var output = new WireOutput();
        if (remoteId.AsSpan().SequenceEqual(PeerId))
        {
            return Close(output, connection, WireCloseReason.SelfConnection);
        }

        var (peer, outside, client) = WirePeerIds.Describe(remoteId);
        if (Member.Banned.Contains(peer))
        {
            return Close(output, connection, WireCloseReason.Banned);
        }

        if (_byPeer.TryGetValue(peer, out var existing))
        {
            // Both ends dialled at once. Both sides keep the connection opened by the lower peer id,
            // so they agree on which one survives without talking about it: if ours is higher, the
            // one they opened (incoming to us) stays.
            var old = _links[existing];
            var keepIncoming = PeerId.AsSpan().SequenceCompareTo(remoteId) > 0;
            if (old.Incoming == incoming || old.Incoming == keepIncoming)
            {
                return Close(output, connection, WireCloseReason.Duplicate);
            }

            Detach(existing);
            Close(output, existing, WireCloseReason.Duplicate);
            Member.OnUnreachable(peer);
        }

        _links[connection] = new WireLink(connection, peer, remoteId, endpoint, incoming, outside, client);
        _byPeer[peer] = connection;
        if (incoming)
        {
            Member.Receive(peer, _tick, [new HandshakeMessage(Member.Store.Metainfo.InfoHash)]);
        }
        else if (!Member.Connect(peer, now))
        {
            Detach(connection);
            return Close(output, connection, WireCloseReason.Refused);
        }

        return Step(now, output);
    }

    /// <summary>Messages decoded from connection <paramref name="connection"/>, in order.</summary>
    public WireOutput OnMessages(int connection, IReadOnlyList<PeerMessage> messages, double now)
    {
        if (!_links.TryGetValue(connection, out var link))
        {
            return WireOutput.None; // closed meanwhile
        }

        Member.Receive(link.Peer, _tick, messages);
        return Step(now, new WireOutput());
    }

    /// <summary>Connection <paramref name="connection"/> ended (any side, any reason); counted once.</summary>
    public void OnClosed(int connection, WireCloseReason reason)
    {
        if (_closing.Remove(connection, out var ours))
        {
            reason = ours;
        }

        _closed[reason.ToString()] = _closed.GetValueOrDefault(reason.ToString()) + 1;
        if (_links.TryGetValue(connection, out var link))
        {
            Detach(connection);
            Member.OnUnreachable(link.Peer);
        }
    }

    /// <summary>Runs the engine at <paramref name="now"/> with nothing new (timers: rechoke, keep-alives, pipelines).</summary>
    public WireOutput Step(double now) => Step(now, new WireOutput());

    private WireOutput Step(double now, WireOutput output)
    {
        _tick++;
        var elapsed = Math.Max(0, now - _lastStepAt);
        _lastStepAt = Math.Max(_lastStepAt, now);
        var result = Member.Tick(_tick, _lastStepAt, elapsed);
        output.Verified = result.PiecesVerified.Count > 0;
        output.CompletedNow = result.CompletedNow;
        output.BytesUp = result.BytesUp;
        output.BytesDown = result.BytesDown;
        foreach (var (to, messages) in result.Outgoing)
        {
            if (!_byPeer.TryGetValue(to, out var connection))
            {
                continue; // the connection is gone already
            }

            var close = messages.Count > 0 && messages[^1] is ConnectionClosedMessage;
            output.Sends.Add((connection, messages));
            if (close)
            {
                Detach(connection);
                Close(output, connection, Member.Banned.Contains(to) ? WireCloseReason.Banned : WireCloseReason.Refused);
            }
        }

        return output;
    }

    private void Detach(int connection)
    {
        if (_links.Remove(connection, out var link) && _byPeer.TryGetValue(link.Peer, out var c) && c == connection)
        {
            _byPeer.Remove(link.Peer);
        }
    }

    private WireOutput Close(WireOutput output, int connection, WireCloseReason reason)
    {
        _closing[connection] = reason;
        output.Closes.Add((connection, reason));
        return output;
    }
}
