namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// The driver's view of a swarm, built only from the members' reports: who holds which piece, how
/// many members hold each piece (seeds included, and among leechers only), completions, and the
/// per-tick history. It takes no part in the protocol.
/// </summary>
public sealed class SwarmCensus
{
    private readonly int[] _replication;
    private readonly int[] _leecherReplication;
    private readonly List<SwarmSample> _history = [];
    private readonly Dictionary<PeerId, SwarmMemberRecord> _byPeer;

    public SwarmCensus(IReadOnlyList<SwarmMemberRecord> members, int pieces)
    {
        Members = members;
        _byPeer = members.ToDictionary(m => m.Peer);
        _replication = new int[pieces];
        _leecherReplication = new int[pieces];
    }

    public IReadOnlyList<SwarmMemberRecord> Members { get; }

    public IReadOnlyList<SwarmSample> History => _history;

    /// <summary>Members holding each piece, seeds included.</summary>
    public IReadOnlyList<int> Replication => _replication;

    /// <summary>True while <paramref name="peer"/> is a member that started and neither left nor was found dead.</summary>
    public bool IsLive(PeerId peer) => _byPeer.TryGetValue(peer, out var m) && m.Active;

    /// <summary>A member started; a seed (or a member that came back complete) holds every piece.</summary>
    public void Started(SwarmMemberRecord m, bool complete)
    {
        m.Active = true;
        if (m.Behaviour == PeerBehaviour.Seed || complete)
        {
            for (var piece = 0; piece < _replication.Length; piece++)
            {
                m.Have[piece] = true;
                _replication[piece]++;
            }
        }
    }

    /// <summary>
    /// A live member as a driver activated again after its silo died found it (<see cref="SwarmMemberSnapshot"/>):
    /// it counts with the pieces it holds now; its earlier reports are not replayed.
    /// </summary>
    public void Restored(SwarmMemberRecord m, BitField have, double? completedAt, bool needsPeers)
    {
        m.Started = true;
        m.Active = true;
        m.NeedsPeers = needsPeers;
        m.CompletedAt = m.IsLeecher ? completedAt : null;
        foreach (var piece in have.SetIndices())
        {
            m.Have[piece] = true;
            _replication[piece]++;
            if (m.IsLeecher)
            {
                _leecherReplication[piece]++;
            }
        }
    }

    /// <summary>A member that arrived before the driver died and is no longer live (left or died): it no longer counts.</summary>
    public static void Lost(SwarmMemberRecord m)
    {
        m.Started = true;
        m.Active = false;
        m.Dead = true;
    }

    /// <summary>Applies one member's tick report at simulated time <paramref name="now"/>.</summary>
    public void Apply(SwarmMemberRecord m, PeerTickReport report, double now)
    {
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

    /// <summary>A member left or died: its pieces no longer count.</summary>
    public void Gone(SwarmMemberRecord m)
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

    /// <summary>Records the end of a tick: distinct pieces among the leechers (what the swarm could still serve without the seeds) and replication.</summary>
    public void Sample(double now) => _history.Add(new SwarmSample(
        now,
        _leecherReplication.Count(r => r > 0),
        _replication.Length == 0 ? 0 : _replication.Min(),
        _replication.Length == 0 ? 0 : _replication.Average(),
        Members.Count(m => m.CompletedAt is not null),
        Members.Count(m => m.Active)));

    /// <summary>Every leecher has arrived, and each one finished or is gone.</summary>
    public bool IsDone => Members.Where(m => m.IsLeecher).All(m => m.Started && (m.CompletedAt is not null || m.Dead || m.Left));

    public SwarmProgress Progress(string name, string infoHash, long tick, double tickSeconds)
    {
        var leechers = Members.Where(m => m.IsLeecher).ToList();
        var pieces = _replication.Length;
        var completions = leechers
            .Where(m => m.CompletedAt is not null)
            .Select(m => new SwarmCompletion(m.Peer, m.Behaviour, m.ArrivalTick * tickSeconds, m.CompletedAt!.Value))
            .ToList();
        var meanHave = leechers.Count == 0 ? 1 : leechers.Average(m => m.Have.Count / (double)pieces);
        return new SwarmProgress(name, infoHash, tick, tick * tickSeconds, leechers.Count, completions.Count, Members.Count(m => m.Active), meanHave, pieces, completions)
        {
            Done = IsDone,
        };
    }
}
