using Microsoft.Extensions.Logging;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Drives one swarm on simulated time (docs/bittorrent.md, "Simulated time and the bandwidth model"). Per tick: members due to arrive start
/// one by one in creation order (tracker answers are then reproducible), then every live member
/// runs its tick concurrently — determinism comes from the members, which handle in tick t + 1,
/// in sender order, what was sent in tick t. The driver only counts: pieces held, replication,
/// completions. Reentrant so seeds can read the content while it creates or steps them; a run
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

    private string Name => this.GetPrimaryKeyString();

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

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
            var metainfo = Metainfo.Create(parameters.FileName, content, $"orleans://tracker/{Name}/announce", parameters.PieceLength);
            await Registry.CreateAsync(parameters);
            _parameters = parameters;
            _content = content;
            _staged = null;
            _metainfo = metainfo;
            _torrent = metainfo.ToTorrentBytes();
            _tick = 0;
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
        return Tracker.ScrapeAsync();
    }

    public Task<PieceMessage> ReadContentPieceAsync(int piece)
    {
        var metainfo = _metainfo ?? throw new P2PException($"no swarm named '{Name}'");
        var content = _content!;
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

    private bool IsDone() => _census.IsDone;

    private SwarmProgress Progress() => _census.Progress(Name, _metainfo!.InfoHash.Hex, _tick, _parameters!.TickSeconds);

    private SwarmParameters Require() => _parameters ?? throw new P2PException($"no swarm named '{Name}' (create it with `p2p swarm create {Name}`)");

    private void Reset()
    {
        _parameters = null;
        _content = null;
        _metainfo = null;
        _census = new SwarmCensus([], 0);
    }
}
