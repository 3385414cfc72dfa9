using Microsoft.Extensions.Logging;
using P2POrleans.BitTorrent.Bencoding;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Tracker;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Drives one swarm on simulated time (docs/bittorrent.md, "Simulated time and the bandwidth model"). Per tick: members due to arrive start
/// one by one in creation order (tracker answers are then reproducible), then every live member
/// runs its tick concurrently; then each gets what was sent to it in the tick (<see cref="SwarmPostbox"/>,
/// one call per receiver) — determinism comes from the members, which handle in tick t + 1,
/// in sender order, what was sent in tick t. Otherwise the driver only counts: pieces held,
/// replication, completions. Reentrant so seeds can read the content while it creates or steps them; a run
/// refuses to start while another is in progress.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class SwarmGrain(ILogger<SwarmGrain> logger) : Grain, ISwarmGrain
{
    private const int TickParallelism = 128;
    private const double ReplicationSampleSeconds = 10;

    private SwarmParameters? _parameters;
    private byte[]? _content;
    private Metainfo? _metainfo;
    private byte[] _torrent = [];
    private byte[]? _staged;
    private SwarmCensus _census = new([], 0);
    private long _tick;
    private double _nextReplicationSample;
    private bool _busy;
    private HttpTracker? _httpTracker;
    private SwarmServeInfo? _serving;
    private IGrainTimer? _servingWatch;
    private bool _wireLost;

    private string Name => this.GetPrimaryKeyString();

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

    /// <summary>
    /// A new activation of a swarm that exists: the previous driver died with its silo (it is always
    /// active otherwise). It is rebuilt from the registry's parameters and the live members (<see cref="SwarmRestore"/>).
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await Registry.GetAsync() is not { Parameters: SwarmParameters parameters }
            || await SwarmRestore.RestoreAsync(GrainFactory, Name, parameters, await Registry.GetMembersAsync()) is not { } restored)
        {
            return;
        }

        _parameters = parameters;
        _content = restored.Content;
        _metainfo = restored.Metainfo;
        _torrent = restored.Torrent;
        _census = restored.Census;
        _tick = restored.Tick;
        _nextReplicationSample = _tick * parameters.TickSeconds;
        _wireLost = restored.WasOnWire;
        foreach (var gone in _census.Members.Where(m => m.Dead))
        {
            await Registry.RemoveMemberAsync(SwarmKeys.MemberId(gone.Peer));
        }

        logger.LogWarning("Swarm {Swarm} restored after its driver's silo died: tick {Tick}, {Live} live members", Name, _tick, _census.Members.Count(m => m.Active));
    }

    public Task StageContentAsync(long offset, byte[] chunk, long totalLength)
    {
        if (totalLength is < 1 or > SwarmParameters.MaxFileSize)
        {
            throw new P2PException($"a shared file must be between 1 byte and 1 GiB (got {totalLength} bytes)");
        }

        if (offset == 0 || _staged is null || _staged.Length != totalLength)
        {
            _staged = new byte[totalLength];
        }

        if (offset < 0 || offset + chunk.Length > totalLength)
        {
            throw new P2PException($"chunk at {offset} of {chunk.Length} bytes does not fit a file of {totalLength}");
        }

        chunk.CopyTo(_staged.AsSpan((int)offset));
        return Task.CompletedTask;
    }

    public async Task<SwarmProgress> CreateAsync(SwarmParameters parameters)
    {
        if (_busy)
        {
            throw new P2PException($"swarm '{Name}' is busy");
        }

        if (await Registry.GetAsync() is { } existing)
        {
            throw new P2PException($"overlay '{Name}' already exists ({existing.Parameters.Protocol}); delete it first or pick another name");
        }

        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new P2PException($"invalid parameters for swarm '{Name}': {string.Join("; ", problems)}");
        }

        byte[] content;
        if (parameters.FromFile)
        {
            content = _staged is { } staged && staged.Length == parameters.FileSize
                ? staged
                : throw new P2PException($"no staged file of {parameters.FileSize} bytes for swarm '{Name}'");
        }
        else
        {
            content = SwarmContent.Generate(parameters.Seed, parameters.FileSize);
        }

        _busy = true;
        try
        {
            await StopServingAsync();
            var metainfo = Metainfo.Create(parameters.FileName, content, SwarmContent.Announce(Name, parameters), parameters.PieceLength);
            await Registry.CreateAsync(parameters);
            _parameters = parameters;
            _content = content;
            _staged = null;
            _metainfo = metainfo;
            _torrent = metainfo.ToTorrentBytes();
            _tick = 0;
            _wireLost = false;
            _nextReplicationSample = 0;
            _census = new SwarmCensus(SwarmPlan.Create(parameters, metainfo.PieceCount), metainfo.PieceCount);
            await Tracker.ResetAsync();
            foreach (var seed in _census.Members.Where(m => m.Behaviour == PeerBehaviour.Seed))
            {
                await StartMemberAsync(seed);
            }

            logger.LogInformation("Created swarm {Swarm}: {Pieces} pieces, info hash {InfoHash}", Name, metainfo.PieceCount, metainfo.InfoHash);
            return Progress();
        }
        finally
        {
            _busy = false;
        }
    }

    public async Task<SwarmProgress> StepAsync(int ticks, bool stopWhenDone = true)
    {
        var parameters = Require();
        if (ticks is < 1 or > 1_000_000)
        {
            throw new P2PException($"ticks must be between 1 and 1,000,000 (got {ticks})");
        }

        if (_busy)
        {
            throw new P2PException($"swarm '{Name}' is already running");
        }

        if (_serving is not null || _wireLost)
        {
            throw new P2PException($"swarm '{Name}' is on the wire (real time since `swarm serve`); it cannot also run on simulated time");
        }

        if (parameters.FromTorrent)
        {
            throw new P2PException($"swarm '{Name}' joined a torrent made elsewhere and has no seed: serve it on the wire (`swarm serve`) and add a peer that has the file (`swarm add-peer`)");
        }

        if (await Registry.GetAsync() is null)
        {
            Reset();
            throw new P2PException($"swarm '{Name}' was deleted");
        }

        _busy = true;
        try
        {
            for (var k = 0; k < ticks; k++)
            {
                if (stopWhenDone && IsDone())
                {
                    break;
                }

                await RunTickAsync(parameters, _tick);
                _tick++;
            }

            return Progress();
        }
        finally
        {
            _busy = false;
        }
    }

    public Task<SwarmProgress> GetProgressAsync()
    {
        Require();
        return Task.FromResult(Progress());
    }

    public async Task<IReadOnlyList<SwarmPeerStatus>> GetStatusAsync()
    {
        Require();
        var pieces = _metainfo!.PieceCount;
        var members = _census.Members;
        var statuses = new SwarmPeerStatus[members.Count];
        await Concurrently.ForEachAsync(Enumerable.Range(0, members.Count), TickParallelism, async i =>
        {
            var m = members[i];
            if (m.Active)
            {
                try
                {
                    statuses[i] = await SwarmKeys.Member(GrainFactory, Name, m.Peer).GetStatusAsync();
                    return;
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // shown as gone below
                }
            }

            var state = !m.Started ? "waiting" : m.Left ? "left" : "gone";
            statuses[i] = new SwarmPeerStatus(m.Peer, m.Behaviour, m.Have.Count, pieces, 0, 0, 0, 0, 0, [], [], m.CompletedAt, 0, [], state);
        });
        return statuses;
    }

    public Task<IReadOnlyList<SwarmSample>> GetHistoryAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<SwarmSample>>([.. _census.History]);
    }

    public Task<byte[]> GetTorrentAsync()
    {
        Require();
        return Task.FromResult(_torrent);
    }

    public Task<IReadOnlyList<(PeerId Peer, PeerBehaviour Behaviour)>> GetPeersAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<(PeerId, PeerBehaviour)>>([.. _census.Members.Select(m => (m.Peer, m.Behaviour))]);
    }

    public Task<IReadOnlyList<byte[]>> GetBitfieldsAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<byte[]>>([.. _census.Members.Select(m => m.Have.ToBytes())]);
    }

    public Task<ScrapeResult> ScrapeAsync()
    {
        Require();
        return _serving is null ? Tracker.ScrapeAsync() : WireTracker.ScrapeAsync();
    }

    public async Task<SwarmProgress> JoinTorrentAsync(byte[] torrent, SwarmParameters parameters)
    {
        if (_busy)
        {
            throw new P2PException($"swarm '{Name}' is busy");
        }

        if (await Registry.GetAsync() is { } existing)
        {
            throw new P2PException($"overlay '{Name}' already exists ({existing.Parameters.Protocol}); delete it first or pick another name");
        }

        Metainfo metainfo;
        try
        {
            metainfo = Metainfo.Parse(torrent);
        }
        catch (Exception e) when (e is MetainfoException or BencodeException)
        {
            throw new P2PException($"not a usable .torrent file: {e.Message}");
        }

        parameters = parameters with
        {
            FromTorrent = true,
            FromFile = false,
            Seeds = 0,
            FileSize = metainfo.TotalLength,
            FileName = metainfo.Name,
            PieceLength = metainfo.PieceLength,
        };
        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new P2PException($"invalid parameters for swarm '{Name}': {string.Join("; ", problems)}");
        }

        _busy = true;
        try
        {
            await StopServingAsync();
            await Registry.CreateAsync(parameters);
            _parameters = parameters;
            _content = null;
            _metainfo = metainfo;
            _torrent = metainfo.ToTorrentBytes();
            _tick = 0;
            _wireLost = false;
            _census = new SwarmCensus(SwarmPlan.Create(parameters, metainfo.PieceCount), metainfo.PieceCount);
            return Progress();
        }
        finally
        {
            _busy = false;
        }
    }

    public async Task<SwarmServeInfo> ServeAsync(string host, int port, int trackerPort)
    {
        var parameters = Require();
        var members = _census.Members;
        if (_serving is not null)
        {
            throw new P2PException($"swarm '{Name}' is already on the wire (tracker {_serving.AnnounceUrl})");
        }

        if (_busy || _tick > 0)
        {
            throw new P2PException($"swarm '{Name}' has run on simulated time; create it again to serve it on the wire");
        }

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
            throw new P2PException($"swarm '{Name}' has no members to serve");
        }

        _busy = true;
        var started = new List<SwarmServedPeer>();
        try
        {
            // The HTTP tracker calls from its own threads: it gets a reference made here, never the activation.
            var wireTracker = WireTracker;
            var tracker = new HttpTracker(
                trackerPort,
                _metainfo!.InfoHash,
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
            await WireTracker.ResetAsync();
            _torrent = _metainfo.WithAnnounce(tracker.AnnounceUrl).ToTorrentBytes();
            foreach (var m in members)
            {
                var config = new SwarmPeerConfig(Name, m.Peer, m.Behaviour, _torrent, parameters, 0)
                {
                    Wire = new SwarmWireConfig(host, port == 0 ? 0 : port + started.Count, tracker.AnnounceUrl),
                };
                var endpoint = await SwarmKeys.Member(GrainFactory, Name, m.Peer).ServeAsync(config);
                if (!m.Started)
                {
                    m.Started = true;
                    _census.Started(m, complete: false);
                }

                started.Add(new SwarmServedPeer(m.Peer, m.Behaviour, endpoint));
            }

            _serving = new SwarmServeInfo(tracker.AnnounceUrl, started);
            _servingWatch = this.RegisterGrainTimer(WatchServingAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)) { Interleave = true, KeepAlive = true });
            logger.LogInformation("Swarm {Swarm} on the wire: tracker {Tracker}, {Count} members from {Host}:{Port}", Name, tracker.AnnounceUrl, started.Count, host, port);
            return _serving;
        }
        catch
        {
            foreach (var peer in started)
            {
                await SwarmKeys.Member(GrainFactory, Name, peer.Peer).StopAsync();
            }

            await StopServingAsync();
            throw;
        }
        finally
        {
            _busy = false;
        }
    }

    public async Task AddPeerAsync(string host, int port)
    {
        Require();
        var serving = _serving ?? throw new P2PException($"swarm '{Name}' is not on the wire; start it with `swarm serve {Name}`");
        if (!System.Net.IPAddress.TryParse(host, out var address) || !System.Net.IPAddress.IsLoopback(address) || port is < 1 or > 65535)
        {
            throw new P2PException($"a peer is 127.0.0.1:PORT on this machine (got '{host}:{port}')");
        }

        foreach (var peer in serving.Peers)
        {
            try
            {
                await SwarmKeys.Member(GrainFactory, Name, peer.Peer).DialAsync(host, port);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // a member that stopped does not dial
            }
        }
    }

    public Task<SwarmServeInfo?> GetServeInfoAsync() => Task.FromResult(_serving);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await StopServingAsync();

    /// <summary>The tracker behind the HTTP tracker: the same rules as on simulated time, its peers keyed by endpoint.</summary>
    private ITrackerGrain WireTracker => SwarmKeys.WireTracker(GrainFactory, Name, _metainfo!.InfoHash.Hex);

    /// <summary>Stops the tracker once the swarm is deleted (the registry stops the members themselves).</summary>
    private async Task WatchServingAsync(CancellationToken cancellationToken)
    {
        if (_serving is not null && await Registry.GetAsync() is null)
        {
            await StopServingAsync();
            Reset();
        }
    }

    private async Task StopServingAsync()
    {
        _servingWatch?.Dispose();
        _servingWatch = null;
        _serving = null;
        if (_httpTracker is { } tracker)
        {
            _httpTracker = null;
            await tracker.DisposeAsync();
        }
    }

    public Task<PieceMessage> ReadContentPieceAsync(int piece)
    {
        var metainfo = _metainfo ?? throw new P2PException($"no swarm named '{Name}'");
        var content = _content ?? throw new P2PException($"swarm '{Name}' has no content of its own (it joined a torrent made elsewhere)");
        return Task.FromResult(new PieceMessage(piece, 0, content.AsMemory((int)metainfo.Layout.PieceOffset(piece), metainfo.Layout.PieceSize(piece))));
    }

    private ITrackerGrain Tracker => SwarmKeys.Tracker(GrainFactory, Name, _metainfo!.InfoHash.Hex);

    private async Task StartMemberAsync(SwarmMemberRecord m)
    {
        var parameters = _parameters!;
        var config = new SwarmPeerConfig(Name, m.Peer, m.Behaviour, _torrent, parameters, Math.Max(m.ArrivalTick, _tick));
        m.Started = true;
        try
        {
            var report = await SwarmKeys.Member(GrainFactory, Name, m.Peer).StartAsync(config);
            _census.Started(m, report.Complete);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            m.Dead = true;
        }
    }

    private async Task RunTickAsync(SwarmParameters parameters, long tick)
    {
        foreach (var m in _census.Members.Where(m => !m.Started && m.ArrivalTick <= tick).ToList())
        {
            await StartMemberAsync(m);
        }

        // Re-announces, one at a time in member order, so the tracker's random answers are reproducible.
        foreach (var m in _census.Members.Where(m => m.Active && m.NeedsPeers).ToList())
        {
            m.NeedsPeers = false;
            try
            {
                await SwarmKeys.Member(GrainFactory, Name, m.Peer).ReannounceAsync(tick);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // found dead by the tick below
            }
        }

        var active = _census.Members.Where(m => m.Active).ToList();
        var reports = new PeerTickReport?[active.Count];
        var dead = new bool[active.Count];
        await Concurrently.ForEachAsync(Enumerable.Range(0, active.Count), TickParallelism, async i =>
        {
            try
            {
                reports[i] = await SwarmKeys.Member(GrainFactory, Name, active[i].Peer).RunTickAsync(tick);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                dead[i] = true; // its silo died: it came back empty (docs/bittorrent.md, "Failures")
            }
        });

        var now = tick * parameters.TickSeconds;
        for (var i = 0; i < active.Count; i++)
        {
            var m = active[i];
            if (dead[i])
            {
                _census.Gone(m);
                m.Dead = true;
                try
                {
                    await Registry.RemoveMemberAsync(SwarmKeys.MemberId(m.Peer));
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // bookkeeping only
                }

                continue;
            }

            _census.Apply(m, reports[i]!, now);
        }

        await DeliverAsync(active, reports);

        _census.Sample(now);
        if (now >= _nextReplicationSample)
        {
            _nextReplicationSample = now + ReplicationSampleSeconds;
            var tag = new KeyValuePair<string, object?>("p2p.overlay", Name);
            foreach (var r in _census.Replication)
            {
                SwarmTelemetry.Replication.Record(r, tag);
            }
        }
    }

    /// <summary>
    /// The network: every batch sent in this tick goes to its receiver now, to be handled in its next
    /// tick — after every report is in, so a batch for a member that left or died in this tick goes back
    /// to its sender as unreachable. One call per receiver; between ticks nothing is in flight here.
    /// </summary>
    private async Task DeliverAsync(List<SwarmMemberRecord> active, PeerTickReport?[] reports)
    {
        var postbox = new SwarmPostbox();
        foreach (var report in reports.OfType<PeerTickReport>())
        {
            postbox.Post(report.Outgoing, _census.IsLive);
        }

        var deliveries = active.Where(m => m.Active).Select(m => (m.Peer, Input: postbox.Take(m.Peer))).Where(d => !ReferenceEquals(d.Input, SwarmDelivery.Empty)).ToList();
        await Concurrently.ForEachAsync(deliveries, TickParallelism, async d =>
        {
            try
            {
                await SwarmKeys.Member(GrainFactory, Name, d.Peer).DeliverAsync(d.Input);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // its silo died: found dead by the next tick, and its senders then learn it is unreachable
            }
        });
    }

    private bool IsDone() => _census.IsDone;

    private SwarmProgress Progress() => _census.Progress(Name, _metainfo!.InfoHash.Hex, _tick, _parameters!.TickSeconds);

    private SwarmParameters Require() => _parameters ?? throw new P2PException($"no swarm named '{Name}' (create it with `p2p swarm create {Name}`)");

    private void Reset()
    {
        _parameters = null;
        _content = null;
        _metainfo = null;
        _census = new SwarmCensus([], 0);
        _wireLost = false;
    }
}
