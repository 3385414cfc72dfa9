using Microsoft.Extensions.Logging;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent;

/// <summary>
/// Drives one swarm on simulated time (DESIGN.md section 5). Per tick: members due to arrive start
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
    private List<SwarmMemberRecord> _members = [];
    private int[] _replication = [];
    private int[] _leecherReplication = [];
    private List<SwarmSample> _history = [];
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
            _replication = new int[metainfo.PieceCount];
            _leecherReplication = new int[metainfo.PieceCount];
            _history = [];
            _tick = 0;
            _nextReplicationSample = 0;
            _members = Plan(parameters, metainfo.PieceCount);
            await Tracker.ResetAsync();
            foreach (var seed in _members.Where(m => m.Behaviour == PeerBehaviour.Seed))
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
        var parameters = Require();
        var pieces = _metainfo!.PieceCount;
        var statuses = new SwarmPeerStatus[_members.Count];
        await Concurrently.ForEachAsync(Enumerable.Range(0, _members.Count), TickParallelism, async i =>
        {
            var m = _members[i];
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
        _ = parameters;
        return statuses;
    }

    public Task<IReadOnlyList<SwarmSample>> GetHistoryAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<SwarmSample>>([.. _history]);
    }

    public Task<byte[]> GetTorrentAsync()
    {
        Require();
        return Task.FromResult(_torrent);
    }

    public Task<IReadOnlyList<(PeerId Peer, PeerBehaviour Behaviour)>> GetPeersAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<(PeerId, PeerBehaviour)>>([.. _members.Select(m => (m.Peer, m.Behaviour))]);
    }

    public Task<IReadOnlyList<byte[]>> GetBitfieldsAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<byte[]>>([.. _members.Select(m => m.Have.ToBytes())]);
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

    /// <summary>Names, roles and arrival ticks of every member, from the seed.</summary>
    private static List<SwarmMemberRecord> Plan(SwarmParameters parameters, int pieces)
    {
        var members = new List<SwarmMemberRecord>();
        for (var i = 0; i < parameters.Seeds; i++)
        {
            members.Add(new SwarmMemberRecord(new PeerId($"seed-{i}"), PeerBehaviour.Seed, 0, pieces));
        }

        var width = Math.Max(3, parameters.Peers.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var roles = new PeerBehaviour[parameters.Peers];
        Array.Fill(roles, PeerBehaviour.Leecher);
        var order = Enumerable.Range(0, parameters.Peers).ToArray();
        SeededRandom.Create(parameters.Seed, "bt-roles").Shuffle(order);
        for (var i = 0; i < parameters.FreeRiders; i++)
        {
            roles[order[i]] = PeerBehaviour.FreeRider;
        }

        for (var i = 0; i < parameters.Corrupters; i++)
        {
            roles[order[parameters.FreeRiders + i]] = PeerBehaviour.Corrupter;
        }

        for (var i = 0; i < parameters.Peers; i++)
        {
            var arrival = parameters.Arrival == ArrivalPattern.FlashCrowd
                ? 0
                : (long)Math.Ceiling(i * parameters.ArrivalIntervalSeconds / parameters.TickSeconds);
            members.Add(new SwarmMemberRecord(new PeerId("peer-" + (i + 1).ToString("D" + width, System.Globalization.CultureInfo.InvariantCulture)), roles[i], arrival, pieces));
        }

        return members;
    }

    private async Task StartMemberAsync(SwarmMemberRecord m)
    {
        var parameters = _parameters!;
        var config = new SwarmPeerConfig(Name, m.Peer, m.Behaviour, _torrent, parameters, Math.Max(m.ArrivalTick, _tick));
        m.Started = true;
        try
        {
            var report = await SwarmKeys.Member(GrainFactory, Name, m.Peer).StartAsync(config);
            m.Active = true;
            if (m.Behaviour == PeerBehaviour.Seed || report.Complete)
            {
                for (var piece = 0; piece < _replication.Length; piece++)
                {
                    m.Have[piece] = true;
                    _replication[piece]++;
                }
            }
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            m.Dead = true;
        }
    }

    private async Task RunTickAsync(SwarmParameters parameters, long tick)
    {
        foreach (var m in _members.Where(m => !m.Started && m.ArrivalTick <= tick).ToList())
        {
            await StartMemberAsync(m);
        }

        // Re-announces, one at a time in member order, so the tracker's random answers are reproducible.
        foreach (var m in _members.Where(m => m.Active && m.NeedsPeers).ToList())
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

        var active = _members.Where(m => m.Active).ToList();
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
                dead[i] = true; // its silo died: it came back empty (DESIGN.md section 6)
            }
        });

        var now = tick * parameters.TickSeconds;
        for (var i = 0; i < active.Count; i++)
        {
            var m = active[i];
            if (dead[i])
            {
                Gone(m);
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

            var report = reports[i]!;
            m.NeedsPeers = report.NeedsPeers;
            foreach (var piece in report.PiecesVerified)
            {
                if (!m.Have[piece])
                {
                    m.Have[piece] = true;
                    _replication[piece]++;
                    _leecherReplication[piece]++;
                }
            }

            if (report.Complete && m.IsLeecher && m.CompletedAt is null)
            {
                m.CompletedAt = now;
            }

            if (report.Left)
            {
                Gone(m);
                m.Left = true;
            }
        }

        // Distinct pieces among the leechers: what the swarm could still serve without the seeds.
        var distinct = _leecherReplication.Count(r => r > 0);
        _history.Add(new SwarmSample(
            now,
            distinct,
            _replication.Length == 0 ? 0 : _replication.Min(),
            _replication.Length == 0 ? 0 : _replication.Average(),
            _members.Count(m => m.CompletedAt is not null),
            _members.Count(m => m.Active)));
        if (now >= _nextReplicationSample)
        {
            _nextReplicationSample = now + ReplicationSampleSeconds;
            var tag = new KeyValuePair<string, object?>("p2p.overlay", Name);
            foreach (var r in _replication)
            {
                SwarmTelemetry.Replication.Record(r, tag);
            }
        }
    }

    /// <summary>A member left or died: its pieces no longer count.</summary>
    private void Gone(SwarmMemberRecord m)
    {
        m.Active = false;
        foreach (var piece in m.Have.SetIndices())
        {
            _replication[piece]--;
            if (m.IsLeecher)
            {
                _leecherReplication[piece]--;
            }
        }
    }

    /// <summary>Every leecher has arrived, and each one finished or is gone.</summary>
    private bool IsDone() => _members.Where(m => m.IsLeecher).All(m => m.Started && (m.CompletedAt is not null || m.Dead || m.Left));

    private SwarmProgress Progress()
    {
        var parameters = _parameters!;
        var leechers = _members.Where(m => m.IsLeecher).ToList();
        var pieces = _metainfo!.PieceCount;
        var completions = leechers
            .Where(m => m.CompletedAt is not null)
            .Select(m => new SwarmCompletion(m.Peer, m.Behaviour, m.ArrivalTick * parameters.TickSeconds, m.CompletedAt!.Value))
            .ToList();
        var meanHave = leechers.Count == 0 ? 1 : leechers.Average(m => m.Have.Count / (double)pieces);
        return new SwarmProgress(Name, _metainfo.InfoHash.Hex, _tick, _tick * parameters.TickSeconds, leechers.Count, completions.Count, _members.Count(m => m.Active), meanHave, pieces, completions)
        {
            Done = IsDone(),
        };
    }

    private SwarmParameters Require() => _parameters ?? throw new P2PException($"no swarm named '{Name}' (create it with `p2p swarm create {Name}`)");

    private void Reset()
    {
        _parameters = null;
        _content = null;
        _metainfo = null;
        _members = [];
        _history = [];
    }
}
