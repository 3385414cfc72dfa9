using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// The soft state each member holds once gossip has converged in a failure-free Kelips overlay of
/// the given live ids (section 2): every member of its affinity group in its view, and c contacts in
/// every other group, the lowest-RTT ones (section 2.1) among a seeded sample of that group
/// (<see cref="ProximitySample"/> candidates, all of a smaller group). No filetuples: files are
/// inserted afterwards and spread by gossip. The converged build installs it (docs/kelips.md,
/// converged build) for benchmarks and experiments that do not study convergence.
/// </summary>
public sealed class KelipsIdealState
{
    /// <summary>Candidates per foreign group a member picks its contacts from (the closest of a sample, as the converged Pastry build does).</summary>
    public const int ProximitySample = 16;

    private readonly long _seed;
    private readonly int _contacts;
    private readonly (NodeId Id, double X, double Y)[][] _groups;
    private readonly Dictionary<NodeId, (int Group, double X, double Y)> _members;

    public KelipsIdealState(IEnumerable<NodeId> ids, KelipsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(parameters);
        Groups = new AffinityGroups(parameters.GroupCount);
        _seed = parameters.Seed;
        _contacts = parameters.Contacts;
        var network = new NetworkModel(parameters.Seed);
        _members = [];
        var byGroup = new List<(NodeId Id, double X, double Y)>[Groups.Count];
        foreach (var id in ids.Distinct().Order())
        {
            var group = Groups.Of(id);
            var (x, y) = network.Coordinates(id);
            _members[id] = (group, x, y);
            (byGroup[group] ??= []).Add((id, x, y));
        }

        _groups = [.. byGroup.Select(g => g?.ToArray() ?? [])];
    }

    public AffinityGroups Groups { get; }

    public int Count => _members.Count;

    /// <summary>The live ids, ascending.</summary>
    public IEnumerable<NodeId> Ids => _members.Keys.Order();

    /// <summary>
    /// What member <paramref name="id"/> holds, as the join's state transfer carries it: its group
    /// mates (heartbeat 0, just refreshed) and its contacts, for round <paramref name="round"/>.
    /// </summary>
    public JoinSnapshot StateOf(NodeId id, long round)
    {
        if (!_members.TryGetValue(id, out var self))
        {
            throw new ArgumentException($"{id} is not a member", nameof(id));
        }

        var mates = _groups[self.Group].Where(m => m.Id != id).Select(m => new MemberEntry(m.Id, 0)).ToArray();
        var random = SeededRandom.Create(_seed, "kelips-converged", id);
        var contacts = new List<MemberEntry>((_groups.Length - 1) * _contacts);
        for (var g = 0; g < _groups.Length; g++)
        {
            if (g != self.Group && _groups[g].Length > 0)
            {
                contacts.AddRange(Closest(_groups[g], self.X, self.Y, random).Select(m => new MemberEntry(m.Id, 0)));
            }
        }

        return new JoinSnapshot(id, round, mates, [.. contacts], []);
    }

    /// <summary>The c members of a group closest to (x, y) among a sample (ties: smaller id); the whole group when it is small.</summary>
    private List<(NodeId Id, double X, double Y)> Closest((NodeId Id, double X, double Y)[] group, double x, double y, Random random)
    {
        // RTT grows with the distance on the model's plane (NetworkModel), so the closest point is the
        // lowest RTT. The best c so far, kept sorted (c is 2 by default: no sort of the sample).
        var best = new List<((NodeId Id, double X, double Y) Member, double Distance)>(_contacts + 1);
        void Offer((NodeId Id, double X, double Y) m)
        {
            var d = ((m.X - x) * (m.X - x)) + ((m.Y - y) * (m.Y - y));
            var at = best.Count;
            while (at > 0 && (best[at - 1].Distance > d || (best[at - 1].Distance == d && best[at - 1].Member.Id.CompareTo(m.Id) > 0)))
            {
                at--;
            }

            if (at < _contacts)
            {
                best.Insert(at, (m, d));
                if (best.Count > _contacts)
                {
                    best.RemoveAt(best.Count - 1);
                }
            }
        }

        if (group.Length <= ProximitySample)
        {
            foreach (var m in group)
            {
                Offer(m);
            }
        }
        else
        {
            // A sample without repeats (Floyd's algorithm): ProximitySample draws, whatever the group's size.
            Span<int> picked = stackalloc int[ProximitySample];
            var count = 0;
            for (var j = group.Length - ProximitySample; j < group.Length; j++)
            {
                var t = random.Next(j + 1);
                var pick = picked[..count].Contains(t) ? j : t;
                picked[count++] = pick;
            }

            foreach (var i in picked)
            {
                Offer(group[i]);
            }
        }

        return best.ConvertAll(b => b.Member);
    }
}
