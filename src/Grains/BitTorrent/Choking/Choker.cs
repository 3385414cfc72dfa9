namespace P2POrleans.BitTorrent.Choking;

/// <summary>
/// Tit for tat (Cohen 2003 section 3). Every 10 s: unchoke the 4 interested peers with the best
/// rate — download rate from them while leeching, upload rate to them while seeding — and choke
/// the rest, except one optimistic unchoke: a random choked interested peer, drawn again every
/// 30 s, that lets newcomers and better partners be discovered. Anti-snubbing (Cohen 2003 section
/// 3.4): while leeching, a peer that has sent nothing for 60 s is snubbed — it no longer competes for
/// the regular slots and is uploaded to only as an optimistic unchoke; the regular slots it leaves
/// empty go to further optimistic unchokes, so there may be more than one at a time ("download rates
/// recover much more quickly when they falter"). Mainline fills those slots the same way: its
/// rechoke keeps unchoking peers past the preferred ones until the upload slots are used. Pure: the
/// caller passes the time and the peers; rounds fall on the exact schedule start + k * interval,
/// whenever <see cref="Tick"/> is called.
/// </summary>
public sealed class Choker
{
    private readonly Random _random;
    private HashSet<PeerId> _unchoked = [];
    private HashSet<PeerId> _extraOptimistic = [];
    private double? _start;
    private long _rechokeRound;
    private long _optimisticRound;

    public Choker(ChokerOptions options, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.UploadSlots);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RechokeIntervalSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.OptimisticIntervalSeconds);
        Options = options;
        _random = random;
    }

    public ChokerOptions Options { get; }

    public IReadOnlySet<PeerId> Unchoked => _unchoked;

    public PeerId? Optimistic { get; private set; }

    /// <summary>Optimistic unchokes beyond the one (anti-snubbing): snubbed peers in regular slots left empty.</summary>
    public IReadOnlySet<PeerId> ExtraOptimistic => _extraOptimistic;

    /// <summary>When the next scheduled rechoke is due (null before the first tick).</summary>
    public double? NextRechokeAt => _start + (_rechokeRound * Options.RechokeIntervalSeconds);

    /// <summary>When the optimistic unchoke is next rotated (null before the first tick).</summary>
    public double? NextOptimisticAt => _start + (_optimisticRound * Options.OptimisticIntervalSeconds);

    /// <summary>True when <see cref="Tick"/> at <paramref name="now"/> would rechoke (the first call always does); otherwise it changes nothing and reads no peer.</summary>
    public bool IsDue(double now) => !(now < NextRechokeAt);

    public bool IsSnubbed(ChokerPeer peer, double now) => now - peer.LastBlockAt > Options.SnubTimeoutSeconds;

    /// <summary>
    /// Call as often as convenient: runs the rechoke when one is due (the first call is round 0)
    /// and rotates the optimistic unchoke when its 30 s are up; otherwise changes nothing.
    /// </summary>
    public ChokeDecision Tick(double now, IReadOnlyList<ChokerPeer> peers, bool seeding)
    {
        _start ??= now;
        if (now < NextRechokeAt)
        {
            return Decision([], [], rechoked: false, rotated: false);
        }

        while (_start + (_rechokeRound * Options.RechokeIntervalSeconds) <= now)
        {
            _rechokeRound++;
        }

        var rotate = false;
        while (_start + (_optimisticRound * Options.OptimisticIntervalSeconds) <= now)
        {
            _optimisticRound++;
            rotate = true;
        }

        return Rechoke(now, peers, seeding, rotate);
    }

    /// <summary>
    /// Re-evaluates now, outside the schedule (e.g. an unchoked peer disconnected or lost
    /// interest); rotates the optimistic unchoke only if asked or if it is no longer eligible.
    /// </summary>
    public ChokeDecision Rechoke(double now, IReadOnlyList<ChokerPeer> peers, bool seeding, bool rotateOptimistic = false)
    {
        var next = new HashSet<PeerId>();
        List<PeerId> regular = [];
        var rotated = false;
        var extra = new HashSet<PeerId>();
        if (Options.FreeRider)
        {
            Optimistic = null;
        }
        else if (!Options.Enabled)
        {
            Optimistic = null;
            regular = [.. peers.Where(p => p.Interested).Select(p => p.Id)];
        }
        else
        {
            var interested = peers.Where(p => p.Interested).ToList();
            var keepOptimistic = !rotateOptimistic && Optimistic is { } current && interested.Any(p => p.Id == current);
            var previousOptimistic = Optimistic;
            if (!keepOptimistic)
            {
                Optimistic = null;
            }

            // Shuffle first, then a stable sort: equal rates are ordered at random.
            var ranked = Shuffle(interested
                .Where(p => p.Id != Optimistic)
                .Where(p => seeding || !IsSnubbed(p, now)))
                .OrderByDescending(p => seeding ? p.UploadRate : p.DownloadRate);
            regular = [.. ranked.Take(Options.UploadSlots - 1).Select(p => p.Id)];

            if (!keepOptimistic)
            {
                var choked = interested.Where(p => !regular.Contains(p.Id)).Select(p => p.Id).ToList();
                // Prefer someone new, so rotation actually gives another peer a chance.
                var fresh = choked.Where(id => id != previousOptimistic).ToList();
                var pool = fresh.Count > 0 ? fresh : choked;
                Optimistic = pool.Count > 0 ? pool[_random.Next(pool.Count)] : null;
                rotated = true;
            }

            // Anti-snubbing: regular slots that snubbed peers left empty become optimistic unchokes of
            // snubbed peers (the only interested ones still choked). Kept until the optimistic rotation.
            var free = Options.UploadSlots - 1 - regular.Count;
            if (!seeding && free > 0)
            {
                var candidates = interested.Select(p => p.Id).Where(id => id != Optimistic && !regular.Contains(id)).ToList();
                List<PeerId> kept = rotateOptimistic ? [] : [.. candidates.Where(_extraOptimistic.Contains)];
                var drawn = Shuffle(candidates.Except(kept));
                extra.UnionWith(kept.Concat(drawn).Take(free));
            }
        }

        _extraOptimistic = extra;
        next.UnionWith(regular);
        next.UnionWith(extra);
        if (Optimistic is { } optimistic)
        {
            next.Add(optimistic);
        }

        var toChoke = _unchoked.Where(id => !next.Contains(id)).OrderBy(id => id.Value, StringComparer.Ordinal).ToList();
        var toUnchoke = next.Where(id => !_unchoked.Contains(id)).OrderBy(id => id.Value, StringComparer.Ordinal).ToList();
        _unchoked = next;
        return Decision(toChoke, toUnchoke, rechoked: true, rotated, regular);
    }

    private ChokeDecision Decision(List<PeerId> toChoke, List<PeerId> toUnchoke, bool rechoked, bool rotated, List<PeerId>? regular = null) =>
        new(_unchoked, regular ?? [.. _unchoked.Where(id => id != Optimistic && !_extraOptimistic.Contains(id))], Optimistic, toChoke, toUnchoke, rechoked, rotated);

    private List<T> Shuffle<T>(IEnumerable<T> peers)
    {
        var list = peers.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
