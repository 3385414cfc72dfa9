using P2POrleans.Common;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Kelips.Gossip;

/// <summary>
/// Decides one round of gossip for a peer (Kelips section 2.1): whom to send to and what each
/// message carries. Targets: <c>Fanout</c> peers, each slot a group member picked at random with
/// weight 1/RTT^e (spatially weighted gossip), or with probability <c>ContactGossipProbability</c>
/// a contact of another group (the only way membership and the filetuples of files hosted here
/// reach other groups). Content: at most the configured number of entries of each kind, so every
/// message is bounded and per-peer bandwidth per round is constant. Entries first seen in the
/// last <c>HotRounds</c> rounds go first (news spreads in O(log n) rounds); the rest is sent
/// round-robin, so every entry is eventually re-gossiped and its heartbeat stays fresh.
/// </summary>
public sealed class GossipBuilder
{
    private readonly KelipsOptions _options;
    private readonly Random _random;
    private (bool Has, NodeId Key) _memberCursor;
    private (bool Has, NodeId Key) _contactCursor;
    private (bool Has, string Key) _fileCursor;
    private int _hostedGroupCursor;

    public GossipBuilder(KelipsOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _random = random;
    }

    /// <summary>The messages of this round: at most <c>Fanout</c>, to distinct targets.</summary>
    public IReadOnlyList<GossipSend> Build(KelipsSoftState peer, long round)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var members = peer.View.OthersByRtt().ToList();
        var chosen = new HashSet<NodeId>();
        var sends = new List<GossipSend>(_options.Fanout);
        var hostedGroups = peer.HostedGroups()
            .Where(g => g != peer.Group && peer.Contacts.InGroup(g).Count > 0)
            .Order()
            .ToList();
        var contactGroups = peer.Contacts.Groups.ToList();
        var content = new RoundContent(peer, round - _options.HotRounds);

        for (var slot = 0; slot < _options.Fanout; slot++)
        {
            var useContact = contactGroups.Count > 0
                && (members.Count == 0 || _random.NextDouble() < _options.ContactGossipProbability);
            if (useContact)
            {
                // Half of the contact slots refresh the filetuples this peer is home node for.
                var group = hostedGroups.Count > 0 && _random.Next(2) == 0
                    ? hostedGroups[_hostedGroupCursor++ % hostedGroups.Count]
                    : contactGroups[_random.Next(contactGroups.Count)];
                var candidates = peer.Contacts.InGroup(group).Where(c => !chosen.Contains(c.Id)).ToList();
                if (candidates.Count > 0)
                {
                    var contact = candidates[WeightedIndex(candidates.Select(c => c.RttMs).ToList())];
                    chosen.Add(contact.Id);
                    sends.Add(new GossipSend(contact.Id, Compose(content, round, group, contact.Id), true));
                    continue;
                }

                if (members.Count == 0)
                {
                    continue;
                }
            }

            if (members.Count == 0)
            {
                break;
            }

            var index = WeightedIndex(members.Select(m => m.RttMs).ToList());
            var member = members[index];
            members.RemoveAt(index);
            chosen.Add(member.Id);
            sends.Add(new GossipSend(member.Id, Compose(content, round, peer.Group, member.Id), false));
        }

        return sends;
    }

    /// <summary>
    /// One message for a target in <paramref name="targetGroup"/>: own-group membership (the own
    /// heartbeat first), contacts (for a foreign target, our contacts in its own group first: they
    /// are its group mates) and filetuples (own group's for a member; for a contact, the tuples of
    /// its group this peer is home node for).
    /// </summary>
    public GossipMessage Compose(KelipsSoftState peer, long round, int targetGroup, NodeId target)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Compose(new RoundContent(peer, round - _options.HotRounds), round, targetGroup, target);
    }

    private GossipMessage Compose(RoundContent content, long round, int targetGroup, NodeId target)
    {
        var peer = content.State;
        var members = new List<ViewEntry>(_options.MaxMembersPerMessage) { content.Self };
        bool IsTarget(NodeId id) => id == target;
        AddHot(members, content.HotMembers, e => IsTarget(e.Id), _options.MaxMembersPerMessage);
        TakeRoundRobin(content.Members, e => e.Id, Comparer<NodeId>.Default, ref _memberCursor, members, e => IsTarget(e.Id), _options.MaxMembersPerMessage);

        var contacts = new List<ContactEntry>(_options.MaxContactsPerMessage);
        if (targetGroup != peer.Group)
        {
            AddHot(contacts, peer.Contacts.InGroup(targetGroup), c => IsTarget(c.Id), _options.MaxContactsPerMessage);
        }

        AddHot(contacts, content.HotContacts, c => IsTarget(c.Id), _options.MaxContactsPerMessage);
        TakeRoundRobin(content.Contacts, c => c.Id, Comparer<NodeId>.Default, ref _contactCursor, contacts, c => IsTarget(c.Id), _options.MaxContactsPerMessage);

        FileTuple[] tuples;
        if (targetGroup == peer.Group)
        {
            var list = new List<FileTupleEntry>(_options.MaxFileTuplesPerMessage);
            AddHot(list, content.HotFiles, _ => false, _options.MaxFileTuplesPerMessage);
            TakeRoundRobin(content.Files, e => e.Tuple.FileName, StringComparer.Ordinal, ref _fileCursor, list, _ => false, _options.MaxFileTuplesPerMessage);
            tuples = [.. list.Select(e => e.Tuple)];
        }
        else
        {
            var hosted = peer.HostedFilesIn(targetGroup).ToList();
            Shuffle(hosted);
            tuples = [.. hosted.Take(_options.MaxFileTuplesPerMessage)];
        }

        return new GossipMessage(
            peer.Self,
            round,
            [.. members.Select(e => peer.View.ToWire(e, round))],
            [.. contacts.Select(c => c.ToMemberEntry(round))],
            tuples);
    }

    // Adds items in the given order (hot ones: newest first) up to the cap, skipping duplicates.
    private static void AddHot<T>(List<T> output, IReadOnlyList<T> source, Func<T, bool> skip, int cap)
    {
        foreach (var item in source)
        {
            if (output.Count >= cap)
            {
                return;
            }

            if (!skip(item) && !output.Contains(item))
            {
                output.Add(item);
            }
        }
    }

    // Continues after the cursor in key order, wrapping once, skipping items already taken.
    private static void TakeRoundRobin<T, TKey>(
        IReadOnlyList<T> sorted, Func<T, TKey> key, IComparer<TKey> comparer, ref (bool Has, TKey Key) cursor, List<T> output, Func<T, bool> skip, int cap)
    {
        if (sorted.Count == 0 || output.Count >= cap)
        {
            return;
        }

        var start = 0;
        if (cursor.Has)
        {
            // First key after the cursor (binary search: the list is sorted by key).
            var (lo, hi) = (0, sorted.Count);
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (comparer.Compare(key(sorted[mid]), cursor.Key) > 0)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            start = lo % sorted.Count;
        }

        for (var i = 0; i < sorted.Count && output.Count < cap; i++)
        {
            var item = sorted[(start + i) % sorted.Count];
            if (skip(item) || output.Contains(item))
            {
                continue;
            }

            output.Add(item);
            cursor = (true, key(item));
        }
    }

    // Spatially weighted choice: probability proportional to 1 / max(rtt, 1 us)^e.
    private int WeightedIndex(IReadOnlyList<double> rtts)
    {
        var weights = rtts.Select(r => 1.0 / Math.Pow(Math.Max(r, 0.001), _options.RttWeightExponent)).ToArray();
        var total = weights.Sum();
        var x = _random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private void Shuffle<T>(List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
