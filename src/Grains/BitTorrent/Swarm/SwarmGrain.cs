using Microsoft.Extensions.Logging;
using P2POrleans.BitTorrent.Bencoding;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Tracker;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Drives one swarm on simulated time (docs/bittorrent.md, "Simulated time and the bandwidth model"),
/// one tick at a time (<see cref="SwarmTicks"/>) — determinism comes from the members, which handle in
/// tick t + 1, in sender order, what was sent in tick t — or puts it on the wire in real time
/// (<see cref="SwarmWireService"/>). Otherwise the driver only counts (<see cref="SwarmCensus"/>): pieces
/// held, replication, completions. Reentrant so seeds can read the content while it creates or steps
/// them; a run refuses to start while another is in progress.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class SwarmGrain(ILogger<SwarmGrain> logger) : Grain, ISwarmGrain
{
    private SwarmParameters? _parameters;
    private byte[]? _content;
    private Metainfo? _metainfo;
    private byte[] _torrent = [];
    private byte[]? _staged;
    private SwarmCensus _census = new([], 0);
    private long _tick;
    private bool _busy;
    private IGrainTimer? _servingWatch;
    private bool _wireLost;
    private SwarmTicks? _ticks;
    private SwarmWireService? _wire;

    private string Name => this.GetPrimaryKeyString();

    private SwarmTicks Ticks => _ticks ??= new SwarmTicks(GrainFactory, Name);

    private SwarmWireService Wire => _wire ??= new SwarmWireService(GrainFactory, Name);

    private SwarmServeInfo? Serving => _wire?.Serving;

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
        Ticks.SampleReplicationFrom(_tick * parameters.TickSeconds);
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
        await RequireFreeAsync();

        RequireValid(parameters);

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
            Install(parameters, metainfo, content);
            _staged = null;
            Ticks.SampleReplicationFrom(0);
            await Tracker.ResetAsync();
            foreach (var seed in _census.Members.Where(m => m.Behaviour == PeerBehaviour.Seed))
            {
                await Ticks.StartMemberAsync(_census, seed, parameters, _torrent, _tick);
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

        if (Serving is not null || _wireLost)
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

                await Ticks.RunAsync(_census, parameters, _torrent, _tick);
                _tick++;
            }

            return Progress();
        }
        finally
        {
            await Ticks.FlushAsync(); // nothing waits at the driver between steps
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
        await Concurrently.ForEachAsync(Enumerable.Range(0, members.Count), SwarmTicks.Parallelism, async i =>
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
        return Serving is null ? Tracker.ScrapeAsync() : SwarmWireService.WireTracker(GrainFactory, Name, _metainfo!).ScrapeAsync();
    }

    public async Task<SwarmProgress> JoinTorrentAsync(byte[] torrent, SwarmParameters parameters)
    {
        await RequireFreeAsync();

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
        RequireValid(parameters);

        _busy = true;
        try
        {
            await StopServingAsync();
            await Registry.CreateAsync(parameters);
            Install(parameters, metainfo, content: null);
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
        if (Serving is { } serving)
        {
            throw new P2PException($"swarm '{Name}' is already on the wire (tracker {serving.AnnounceUrl})");
        }

        if (_busy || _tick > 0)
        {
            throw new P2PException($"swarm '{Name}' has run on simulated time; create it again to serve it on the wire");
        }

        _busy = true;
        try
        {
            var served = await Wire.ServeAsync(_census, parameters, _metainfo!, host, port, trackerPort);
            _torrent = Wire.Torrent!;
            _servingWatch = this.RegisterGrainTimer(WatchServingAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)) { Interleave = true, KeepAlive = true });
            logger.LogInformation("Swarm {Swarm} on the wire: tracker {Tracker}, {Count} members from {Host}:{Port}", Name, served.AnnounceUrl, served.Peers.Count, host, port);
            return served;
        }
        finally
        {
            _busy = false;
        }
    }

    public Task AddPeerAsync(string host, int port)
    {
        Require();
        return Wire.AddPeerAsync(host, port);
    }

    public Task<SwarmServeInfo?> GetServeInfoAsync() => Task.FromResult(Serving);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await StopServingAsync();

    /// <summary>Stops the tracker once the swarm is deleted (the registry stops the members themselves).</summary>
    private async Task WatchServingAsync(CancellationToken cancellationToken)
    {
        if (Serving is not null && await Registry.GetAsync() is null)
        {
            await StopServingAsync();
            Reset();
        }
    }

    private async Task StopServingAsync()
    {
        _servingWatch?.Dispose();
        _servingWatch = null;
        if (_wire is { } wire)
        {
            await wire.StopAsync();
        }
    }

    public Task<PieceMessage> ReadContentPieceAsync(int piece)
    {
        var metainfo = _metainfo ?? throw new P2PException($"no swarm named '{Name}'");
        var content = _content ?? throw new P2PException($"swarm '{Name}' has no content of its own (it joined a torrent made elsewhere)");
        return Task.FromResult(new PieceMessage(piece, 0, content.AsMemory((int)metainfo.Layout.PieceOffset(piece), metainfo.Layout.PieceSize(piece))));
    }

    private ITrackerGrain Tracker => SwarmKeys.Tracker(GrainFactory, Name, _metainfo!.InfoHash.Hex);

    private bool IsDone() => _census.IsDone;

    /// <summary>A create or a join of a torrent starts only when no other is running and the name is free.</summary>
    private async Task RequireFreeAsync()
    {
        if (_busy)
        {
            throw new P2PException($"swarm '{Name}' is busy");
        }

        if (await Registry.GetAsync() is { } existing)
        {
            throw new P2PException($"overlay '{Name}' already exists ({existing.Parameters.Protocol}); delete it first or pick another name");
        }
    }

    private void RequireValid(SwarmParameters parameters)
    {
        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new P2PException($"invalid parameters for swarm '{Name}': {string.Join("; ", problems)}");
        }
    }

    /// <summary>The new swarm's state at tick 0: its file (null content: a leecher-only swarm joined from a .torrent) and the census of its plan.</summary>
    private void Install(SwarmParameters parameters, Metainfo metainfo, byte[]? content)
    {
        _parameters = parameters;
        _content = content;
        _metainfo = metainfo;
        _torrent = metainfo.ToTorrentBytes();
        _tick = 0;
        _wireLost = false;
        _census = new SwarmCensus(SwarmPlan.Create(parameters, metainfo.PieceCount), metainfo.PieceCount);
    }

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
