using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Tracker;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// A swarm on the wire (docs/bittorrent.md, "On the wire"): an HTTP tracker on loopback in front of the
/// swarm's wire tracker grain, and every member listening on its own port, in real time. Holds what the
/// driver needs to stop it again; the driver decides when a swarm may go on the wire.
/// </summary>
public sealed class SwarmWireService(IGrainFactory grains, string name)
{
    private HttpTracker? _httpTracker;

    /// <summary>The tracker and the members' endpoints while the swarm is on the wire.</summary>
    public SwarmServeInfo? Serving { get; private set; }

    /// <summary>The torrent as served: the announce URL is the HTTP tracker's.</summary>
    public byte[]? Torrent { get; private set; }

    /// <summary>The tracker behind the HTTP tracker: the same rules as on simulated time, its peers keyed by endpoint.</summary>
    public static ITrackerGrain WireTracker(IGrainFactory grains, string name, Metainfo metainfo) => SwarmKeys.WireTracker(grains, name, metainfo.InfoHash.Hex);

    public async Task<SwarmServeInfo> ServeAsync(SwarmCensus census, SwarmParameters parameters, Metainfo metainfo, string host, int port, int trackerPort)
    {
        var members = census.Members;
        if (!System.Net.IPAddress.TryParse(host, out var address) || !System.Net.IPAddress.IsLoopback(address))
        {
            throw new P2PException($"only loopback addresses are served (got '{host}'); use 127.0.0.1");
        }

        // Port 0: any free port (for each member, and for the tracker).
        if (port < 0 || port + members.Count - 1 > 65535 || trackerPort is < 0 or > 65535 || (port > 0 && trackerPort >= port && trackerPort < port + members.Count))
        {
            throw new P2PException($"the {members.Count} members need ports {port}..{port + members.Count - 1} (at most 65535), and the tracker port {trackerPort} must be outside them");
        }

        if (members.Count == 0)
        {
            throw new P2PException($"swarm '{name}' has no members to serve");
        }

        var started = new List<SwarmServedPeer>();
        try
        {
            // The HTTP tracker calls from its own threads: it gets a reference made here, never the activation.
            var wireTracker = WireTracker(grains, name, metainfo);
            var tracker = new HttpTracker(
                trackerPort,
                metainfo.InfoHash,
                announce => wireTracker.AnnounceAsync(announce.Peer, announce.Event, announce.Left == 0, announce.NumWant),
                wireTracker.ScrapeAsync);
            try
            {
                tracker.Start();
            }
            catch (System.Net.HttpListenerException e)
            {
                throw new P2PException($"cannot serve the tracker on 127.0.0.1:{trackerPort}: {e.Message}");
            }

            _httpTracker = tracker;
            await wireTracker.ResetAsync();
            var torrent = metainfo.WithAnnounce(tracker.AnnounceUrl).ToTorrentBytes();
            foreach (var m in members)
            {
                var config = new SwarmPeerConfig(name, m.Peer, m.Behaviour, torrent, parameters, 0)
                {
                    Wire = new SwarmWireConfig(host, port == 0 ? 0 : port + started.Count, tracker.AnnounceUrl),
                };
                var endpoint = await SwarmKeys.Member(grains, name, m.Peer).ServeAsync(config);
                if (!m.Started)
                {
                    m.Started = true;
                    census.Started(m, complete: false);
                }

                started.Add(new SwarmServedPeer(m.Peer, m.Behaviour, endpoint));
            }

            Torrent = torrent;
            Serving = new SwarmServeInfo(tracker.AnnounceUrl, started);
            return Serving;
        }
        catch
        {
            foreach (var peer in started)
            {
                await SwarmKeys.Member(grains, name, peer.Peer).StopAsync();
            }

            await StopAsync();
            throw;
        }
    }

    /// <summary>Every member on the wire dials 127.0.0.1:<paramref name="port"/> (e.g. another BitTorrent client).</summary>
    public async Task AddPeerAsync(string host, int port)
    {
        var serving = Serving ?? throw new P2PException($"swarm '{name}' is not on the wire; start it with `swarm serve {name}`");
        if (!System.Net.IPAddress.TryParse(host, out var address) || !System.Net.IPAddress.IsLoopback(address) || port is < 1 or > 65535)
        {
            throw new P2PException($"a peer is 127.0.0.1:PORT on this machine (got '{host}:{port}')");
        }

        foreach (var peer in serving.Peers)
        {
            try
            {
                await SwarmKeys.Member(grains, name, peer.Peer).DialAsync(host, port);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // a member that stopped does not dial
            }
        }
    }

    /// <summary>Stops the HTTP tracker (the registry stops the members themselves).</summary>
    public async Task StopAsync()
    {
        Serving = null;
        Torrent = null;
        if (_httpTracker is { } tracker)
        {
            _httpTracker = null;
            await tracker.DisposeAsync();
        }
    }
}
