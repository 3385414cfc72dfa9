using System.Net;
using System.Net.Sockets;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.BitTorrent.Tracker;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// One swarm member on the wire, in real time: its engine (<see cref="WirePeer"/> over the same
/// <see cref="SwarmMember"/> as on simulated time), its sockets (<see cref="WireSession"/>) and its
/// HTTP tracker announces. The grain forwards socket events and a periodic tick here, one at a time.
/// Time is read from the injected <see cref="TimeProvider"/>, in seconds since the member started.
/// </summary>
public sealed class WireMember : IAsyncDisposable
{
    /// <summary>How often the engine runs when nothing arrives (rechoke and optimistic schedules, keep-alives, pipelines).</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(250);

    private readonly SwarmWireConfig _config;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly WireSession _session;
    private readonly string _overlay;
    private double _nextAnnounceAt;
    private bool _stopped;

    public WireMember(string overlay, SwarmMember member, SwarmWireConfig config, TimeProvider time, IWireEvents events, CancellationToken stopping)
    {
        _overlay = overlay;
        _config = config;
        _time = time;
        _start = time.GetTimestamp();
        var peerId = WirePeerIds.For(member.Self);
        Peer = new WirePeer(member, peerId, 0);
        var listen = new IPEndPoint(IPAddress.Parse(config.Host), config.Port);
        _session = new WireSession(listen, new WireHandshake(member.Store.Metainfo.InfoHash, peerId), member.Store.Layout, events, stopping);
    }

    public WirePeer Peer { get; }

    public SwarmMember Member => Peer.Member;

    /// <summary>Where the member listens (the port actually bound, when any free port was asked for).</summary>
    public string Endpoint => _session.Endpoint;

    /// <summary>Seconds since the member went on the wire.</summary>
    public double Now => _time.GetElapsedTime(_start).TotalSeconds;

    /// <summary>The last tracker problem, if the last announce failed.</summary>
    public string? TrackerProblem { get; private set; }

    /// <summary>Binds the listening socket; a taken port is one clear error.</summary>
    public void Listen()
    {
        try
        {
            _session.Start();
        }
        catch (SocketException e)
        {
            throw new P2PException($"cannot listen on {_config.Endpoint}: {e.Message}");
        }

        if (_session.Listening.Port == 0)
        {
            throw new P2PException($"cannot listen on {_config.Endpoint}: no port was bound");
        }
    }

    /// <summary>Announces (started, completed, stopped or a re-announce) and dials the peers the tracker names.</summary>
    public async Task AnnounceAsync(AnnounceEvent announceEvent, CancellationToken cancellationToken)
    {
        var member = Member;
        var left = member.Store.Metainfo.TotalLength - member.Store.BytesVerified;
        var url = HttpAnnouncer.Url(_config.AnnounceUrl, member.Store.Metainfo.InfoHash, Peer.PeerId, _session.Listening.Port,
            member.BytesUp, member.BytesDown, Math.Max(0, left), announceEvent, announceEvent == AnnounceEvent.Stopped ? 0 : member.Parameters.NumWant);
        try
        {
            var (peers, interval) = await HttpAnnouncer.AnnounceAsync(url, cancellationToken);
            TrackerProblem = null;
            _nextAnnounceAt = Now + Math.Min(interval, 1800);
            if (announceEvent != AnnounceEvent.Stopped && !_stopped)
            {
                member.OnAnnounced([], Now);
                foreach (var peer in peers.Take(member.InitiateLimit))
                {
                    Dial(peer);
                }
            }
        }
        catch (TrackerException e)
        {
            TrackerProblem = e.Message;
            _nextAnnounceAt = Now + SwarmMember.ReannounceSeconds;
        }
    }

    /// <summary>Dials a peer (from the tracker or named by hand) unless already connected or full.</summary>
    public void Dial(IPEndPoint peer)
    {
        var endpoint = WireConnection.Describe(peer);
        if (!_stopped && endpoint != Endpoint && !Peer.IsConnectedTo(endpoint) && Member.Connections.Count < Member.InitiateLimit)
        {
            _session.Dial(peer);
        }
    }

    public WireOutput OnConnected(int connection, byte[] remoteId, string endpoint, bool incoming) =>
        Apply(Peer.OnConnected(connection, remoteId, endpoint, incoming, Now));

    public WireOutput OnReceived(int connection, IReadOnlyList<PeerMessage> messages) =>
        Apply(Peer.OnMessages(connection, messages, Now));

    public void OnClosed(int connection, WireCloseReason reason)
    {
        Peer.OnClosed(connection, reason);
        SwarmTelemetry.CountWireClose(_overlay, Member.Self, reason);
    }

    /// <summary>The periodic step; re-announces when the tracker's interval is up or peers are few.</summary>
    public async Task<WireOutput> TickAsync(CancellationToken cancellationToken)
    {
        var output = Apply(Peer.Step(Now));
        if (!_stopped && (Now >= _nextAnnounceAt || Member.NeedsPeers(Now)))
        {
            _nextAnnounceAt = Now + SwarmMember.ReannounceSeconds; // one announce at a time
            await AnnounceAsync(AnnounceEvent.None, cancellationToken);
        }

        return output;
    }

    public SwarmPeerStatus Status(SwarmPeerStatus basic) => basic with
    {
        Listen = Endpoint,
        Links = Links(),
        Closed = new Dictionary<string, int>(Peer.Closed),
    };

    /// <summary>Every open connection: who (an outside client or one of ours), bytes and rates both ways, choking and interest.</summary>
    public IReadOnlyList<SwarmLinkStatus> Links()
    {
        var now = Now;
        return Peer.Links
            .Select(l => (Link: l, Connection: Member.ConnectionTo(l.Peer)))
            .Where(x => x.Connection is not null)
            .Select(x => new SwarmLinkStatus(x.Link.Peer, x.Link.Endpoint, x.Link.Outside, x.Link.Client,
                x.Connection!.Up.TotalBytes, x.Connection.Down.TotalBytes, x.Connection.Up.Rate(now), x.Connection.Down.Rate(now),
                x.Connection.AmChoking, x.Connection.PeerChoking, x.Connection.AmInterested, x.Connection.PeerInterested))
            .OrderBy(l => l.Peer.Value, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Stops: announces "stopped" (briefly, best effort), then closes every connection and the listener.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using (var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await AnnounceAsync(AnnounceEvent.Stopped, quick.Token);
            }
            catch (OperationCanceledException)
            {
                // the tracker is gone or slow; the stop goes on
            }
        }

        await _session.DisposeAsync();
    }

    private WireOutput Apply(WireOutput output)
    {
        foreach (var (connection, messages) in output.Sends)
        {
            _session.Send(connection, messages);
        }

        foreach (var (connection, _) in output.Closes)
        {
            _session.Close(connection);
        }

        SwarmTelemetry.CountBytes(_overlay, Member.Self, output.BytesUp, output.BytesDown);
        return output;
    }
}
