using P2POrleans.Common;

namespace P2POrleans.Kelips.SoftState;

/// <summary>
/// A peer's contacts: at most c peers per foreign affinity group (Kelips section 2). Section 2.1
/// prefers contacts with low RTT: a candidate replaces the worst contact of its group when it is
/// closer, so each group keeps the c lowest-RTT peers offered (ties broken by id so the outcome
/// does not depend on the order of offers).
/// </summary>
public sealed class Contacts
{
    private readonly Dictionary<int, List<ContactEntry>> _byGroup = [];
    // Contacts removed (timed out or unreachable): see AffinityGroupView.
    private readonly Dictionary<NodeId, (long Heartbeat, long Round)> _removed = [];
    private readonly AffinityGroups _groups;
    private readonly Func<NodeId, NodeId, double> _rtt;

    public Contacts(NodeId self, AffinityGroups groups, int perGroup, Func<NodeId, NodeId, double> rtt)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(rtt);
        ArgumentOutOfRangeException.ThrowIfLessThan(perGroup, 1);
        _groups = groups;
        _rtt = rtt;
        Self = self;
        OwnGroup = groups.Of(self);
        PerGroup = perGroup;
    }

    public NodeId Self { get; }

    public int OwnGroup { get; }

    /// <summary>c, the most contacts kept per foreign group.</summary>
    public int PerGroup { get; }

    public int Count => _byGroup.Values.Sum(l => l.Count);

    /// <summary>Every contact, grouped by affinity group, lowest RTT first within a group.</summary>
    public IEnumerable<ContactEntry> All => _byGroup.OrderBy(g => g.Key).SelectMany(g => g.Value);

    /// <summary>Foreign groups for which at least one contact is known, ascending.</summary>
    public IEnumerable<int> Groups => _byGroup.Where(g => g.Value.Count > 0).Select(g => g.Key).Order();

    /// <summary>The contacts of one group, lowest RTT first (empty for the own group or an unknown one).</summary>
    public IReadOnlyList<ContactEntry> InGroup(int group) =>
        _byGroup.TryGetValue(group, out var list) ? list.ToArray() : [];

    public bool Contains(NodeId id) =>
        _byGroup.TryGetValue(_groups.Of(id), out var list) && list.Exists(c => c.Id == id);

    /// <summary>
    /// Offers a peer of a foreign group: a known contact keeps the higher heartbeat (refreshing only
    /// when it grows); an unknown one is added if the group has room, replaces the worst contact
    /// when it is closer, or replaces a suspect contact when it is fresher. Returns true when the
    /// contacts changed.
    /// </summary>
    /// <param name="timeoutRounds">The contact timeout: a candidate whose age is past it would be
    /// expired at once, so it is not taken (and evicts no live contact).</param>
    /// <param name="suspectRounds">A contact not refreshed for more than this is suspect: a candidate
    /// refreshed more recently replaces the stalest such contact even when it is farther
    /// (<see cref="KelipsOptions.ContactSuspectRounds"/>; section 2.1, heartbeats keep soft state fresh).</param>
    /// <remarks>
    /// The candidate counts as last refreshed <see cref="MemberEntry.Age"/> rounds ago, when its
    /// sender saw its heartbeat grow, not now: otherwise a peer that never held a dead contact, offered
    /// it by one that still does, kept it a full timeout from then and passed it on, and dead contacts
    /// hopped from peer to peer for several timeouts after a crash (section 2.1: soft state times out
    /// when its heartbeat stops growing; docs/kelips.md, "Entry ages").
    /// </remarks>
    public bool Offer(MemberEntry candidate, long round, long timeoutRounds = long.MaxValue, long suspectRounds = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Id == Self)
        {
            return false;
        }

        var group = _groups.Of(candidate.Id);
        if (group == OwnGroup)
        {
            return false;
        }

        if (!_byGroup.TryGetValue(group, out var list))
        {
            list = [];
            _byGroup[group] = list;
        }

        var index = list.FindIndex(c => c.Id == candidate.Id);
        if (index >= 0)
        {
            if (!KelipsMerge.Supersedes(candidate, list[index].ToMemberEntry(round)))
            {
                return false;
            }

            // Refreshed to when the sender saw the heartbeat grow; never moved back.
            var refreshed = Math.Max(list[index].LastRefreshRound, candidate.RefreshedAt(round));
            list[index] = list[index] with { Heartbeat = candidate.Heartbeat, LastRefreshRound = refreshed };
            return true;
        }

        if (candidate.Age > timeoutRounds)
        {
            return false;
        }

        if (_removed.TryGetValue(candidate.Id, out var dead) && candidate.Heartbeat <= dead.Heartbeat)
        {
            return false;
        }

        var entry = new ContactEntry(candidate.Id, group, candidate.Heartbeat, _rtt(Self, candidate.Id), candidate.RefreshedAt(round), round);
        if (list.Count >= PerGroup)
        {
            if (Closer(entry, list[^1]))
            {
                list.RemoveAt(list.Count - 1);
            }
            else if (Suspect(list, round, suspectRounds) is { } stale && entry.LastRefreshRound > stale.LastRefreshRound)
            {
                // A contact not heard of for suspectRounds is likely dead under churn; a fresher
                // candidate takes its slot now instead of after the contact timeout.
                list.Remove(stale);
            }
            else
            {
                return false;
            }
        }

        _removed.Remove(candidate.Id);
        list.Add(entry);
        list.Sort(Compare);
        return true;
    }

    /// <summary>Drops contacts not refreshed for more than <paramref name="timeoutRounds"/>; returns them.</summary>
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

        var stale = new List<NodeId>();
        foreach (var list in _byGroup.Values)
        {
            foreach (var contact in list.Where(c => round - c.LastRefreshRound > timeoutRounds))
            {
                // As in the view: copies of a dead contact still in flight must not bring it back.
                stale.Add(contact.Id);
                _removed[contact.Id] = (contact.Heartbeat, round);
            }

            list.RemoveAll(c => round - c.LastRefreshRound > timeoutRounds);
        }

        return stale;
    }

    /// <summary>Removes a contact found unreachable; it comes back only with a heartbeat above the one it can have reached by now (see <see cref="AffinityGroupView.Remove"/>).</summary>
    public bool Remove(NodeId id, long round)
    {
        if (!_byGroup.TryGetValue(_groups.Of(id), out var list))
        {
            return false;
        }

        var index = list.FindIndex(c => c.Id == id);
        if (index < 0)
        {
            return false;
        }

        // As in the view: contacts are refreshed slowly, so our copy is usually stale; the peer's
        // group mates still gossip its last, higher heartbeat. Record the count it can have reached.
        var entry = list[index];
        _removed[id] = (entry.Heartbeat + Math.Max(0, round - entry.LastRefreshRound), round);
        list.RemoveAt(index);
        return true;
    }

    /// <summary>
    /// A restored durable peer resumes <paramref name="elapsedRounds"/> after its record was written
    /// (see <see cref="AffinityGroupView.Resume"/>): each contact keeps the age it had then.
    /// </summary>
    public void Resume(long round, long elapsedRounds)
    {
        foreach (var list in _byGroup.Values)
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = list[i] with { LastRefreshRound = AffinityGroupView.Shifted(list[i].LastRefreshRound, round, elapsedRounds) };
            }
        }
    }

    private static bool Closer(ContactEntry a, ContactEntry b) => Compare(a, b) < 0;

    // The contact of the group refreshed longest ago, if that is more than suspectRounds ago.
    private static ContactEntry? Suspect(List<ContactEntry> list, long round, long suspectRounds)
    {
        var stalest = list[0];
        foreach (var contact in list)
        {
            if (contact.LastRefreshRound < stalest.LastRefreshRound)
            {
                stalest = contact;
            }
        }

        return round - stalest.LastRefreshRound > suspectRounds ? stalest : null;
    }

    private static int Compare(ContactEntry a, ContactEntry b)
    {
        var c = a.RttMs.CompareTo(b.RttMs);
        return c != 0 ? c : a.Id.CompareTo(b.Id);
    }
}
