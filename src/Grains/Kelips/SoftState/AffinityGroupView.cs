using P2POrleans.Common;

namespace P2POrleans.Kelips.SoftState;

/// <summary>
/// A peer's view of its own affinity group (Kelips section 2): every member it has heard of, with
/// heartbeat, RTT and last refresh. The peer itself is always in its view and never expires.
/// </summary>
public sealed class AffinityGroupView
{
    private readonly Dictionary<NodeId, ViewEntry> _entries = [];

    // Peers removed (timed out or unreachable) with the heartbeat they had and when: for a timeout
    // more, stale gossip about them must not resurrect them; only a higher heartbeat (the peer is
    // really alive) brings one back.
    private readonly Dictionary<NodeId, (long Heartbeat, long Round)> _removed = [];
    private readonly AffinityGroups _groups;
    private readonly Func<NodeId, NodeId, double> _rtt;

    public AffinityGroupView(NodeId self, AffinityGroups groups, Func<NodeId, NodeId, double> rtt, long round = 0)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(rtt);
        _groups = groups;
        _rtt = rtt;
        Self = self;
        Group = groups.Of(self);
        _entries[self] = new ViewEntry(self, 0, 0, round, round);
    }

    public NodeId Self { get; }

    public int Group { get; }

    /// <summary>Members in the view, the peer itself included.</summary>
    public int Count => _entries.Count;

    public long OwnHeartbeat => _entries[Self].Heartbeat;

    /// <summary>All entries, the peer itself included, in no particular order.</summary>
    public IEnumerable<ViewEntry> Entries => _entries.Values;

    /// <summary>The other members, lowest RTT first (ties by id).</summary>
    public IReadOnlyList<ViewEntry> OthersByRtt() =>
        [.. _entries.Values.Where(e => e.Id != Self).OrderBy(e => e.RttMs).ThenBy(e => e.Id)];

    public bool Contains(NodeId id) => _entries.ContainsKey(id);

    public bool TryGet(NodeId id, out ViewEntry entry) => _entries.TryGetValue(id, out entry!);

    /// <summary>
    /// Merges a gossiped entry: keeps the higher heartbeat, and refreshes the entry (its last-refresh
    /// round) only when the heartbeat grows. Entries of other groups and of the peer itself are
    /// ignored. Returns true when the view changed.
    /// </summary>
    /// <param name="timeoutRounds">The member timeout: a new entry whose age is past it is not taken.</param>
    /// <remarks>
    /// As for contacts (<see cref="Contacts.Offer"/>), the entry counts as refreshed
    /// <see cref="MemberEntry.Age"/> rounds ago: a dead member offered by a mate that has not timed
    /// it out yet does not restart its timer at a peer that never held it.
    /// </remarks>
    public bool Merge(MemberEntry entry, long round, long timeoutRounds = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Id == Self || _groups.Of(entry.Id) != Group)
        {
            return false;
        }

        if (_entries.TryGetValue(entry.Id, out var current))
        {
            if (!KelipsMerge.Supersedes(entry, current.ToMemberEntry(round)))
            {
                return false;
            }

            // Refreshed to when the sender saw the heartbeat grow; never moved back.
            _entries[entry.Id] = current with { Heartbeat = entry.Heartbeat, LastRefreshRound = Math.Max(current.LastRefreshRound, entry.RefreshedAt(round)) };
            return true;
        }

        if (entry.Age > timeoutRounds)
        {
            return false;
        }

        if (_removed.TryGetValue(entry.Id, out var dead))
        {
            if (entry.Heartbeat <= dead.Heartbeat)
            {
                return false;
            }

            _removed.Remove(entry.Id);
        }

        _entries[entry.Id] = new ViewEntry(entry.Id, entry.Heartbeat, _rtt(Self, entry.Id), entry.RefreshedAt(round), round);
        return true;
    }

    /// <summary>Increments the peer's own heartbeat (section 2.1: every round).</summary>
    public void Heartbeat(long round)
    {
        var self = _entries[Self];
        _entries[Self] = self with { Heartbeat = self.Heartbeat + 1, LastRefreshRound = round };
    }

    /// <summary>Drops members not refreshed for more than <paramref name="timeoutRounds"/>; returns them.</summary>
    /// <param name="forgetRemovedAfterRounds">How long a removed peer's heartbeat is remembered
    /// (default twice the timeout). It must outlast every copy still circulating, including the
    /// contacts other groups keep, or the dead peer comes back (van Renesse et al. 1998 keep failed
    /// members for a cleanup time for the same reason).</param>
    public IReadOnlyList<NodeId> Expire(long round, long timeoutRounds, long? forgetRemovedAfterRounds = null)
    {
        var forget = forgetRemovedAfterRounds ?? (2 * timeoutRounds);
        foreach (var id in _removed.Where(r => round - r.Value.Round > forget).Select(r => r.Key).ToList())
        {
            _removed.Remove(id);
        }

        var stale = _entries.Values
            .Where(e => e.Id != Self && round - e.LastRefreshRound > timeoutRounds)
            .ToList();
        foreach (var entry in stale)
        {
            // Remember the heartbeat it died with: copies still in flight must not bring it back.
            _entries.Remove(entry.Id);
            _removed[entry.Id] = (entry.Heartbeat, round);
        }

        return [.. stale.Select(e => e.Id)];
    }

    /// <summary>
    /// Removes a member found unreachable; it comes back only with a heartbeat above the one it can
    /// have reached by now (our copy plus one per round since it was refreshed), so copies fresher
    /// than ours but older than its death do not resurrect it.
    /// </summary>
    public bool Remove(NodeId id, long round)
    {
        if (id == Self || !_entries.Remove(id, out var entry))
        {
            return false;
        }

        // Our copy may be stale: the peer may have gone on beating (one per round) since we last
        // heard, and its group mates gossip that higher count. Record the count it can have reached.
        _removed[id] = (entry.Heartbeat + Math.Max(0, round - entry.LastRefreshRound), round);
        return true;
    }

    /// <summary>
    /// A restored durable peer (docs/durability.md) resumes <paramref name="elapsedRounds"/> after its record was
    /// written: its own heartbeat jumps to <paramref name="heartbeat"/> (above anything its mates saw)
    /// and every restored entry keeps the age it had at the write. The rounds away do not count (it
    /// could hear no refresh), so the head start is confirmed or timed out by gossip instead of
    /// expiring at once; but no entry gets younger than it was, or the peer would gossip a dead
    /// member as fresh news (see <see cref="Merge"/>).
    /// </summary>
    public void Resume(long heartbeat, long round, long elapsedRounds = 0)
    {
        foreach (var entry in _entries.Values.ToList())
        {
            _entries[entry.Id] = entry.Id == Self
                ? entry with { Heartbeat = Math.Max(entry.Heartbeat, heartbeat), LastRefreshRound = round }
                : entry with { LastRefreshRound = Shifted(entry.LastRefreshRound, round, elapsedRounds) };
        }
    }

    /// <summary>The view as wire entries as sent at <paramref name="round"/> (ages relative to it), sorted by id.</summary>
    public MemberEntry[] Snapshot(long round) => [.. _entries.Values.OrderBy(e => e.Id).Select(e => ToWire(e, round))];

    /// <summary>A view entry as sent at <paramref name="round"/>: the peer's own entry is current by definition (age 0).</summary>
    public MemberEntry ToWire(ViewEntry entry, long round)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Id == Self ? new MemberEntry(entry.Id, entry.Heartbeat) : entry.ToMemberEntry(round);
    }

    /// <summary>A last-refresh round moved on by the rounds a restored peer was away, never past now.</summary>
    internal static long Shifted(long lastRefreshRound, long round, long elapsedRounds) =>
        Math.Min(round, lastRefreshRound + Math.Max(0, elapsedRounds));
}
