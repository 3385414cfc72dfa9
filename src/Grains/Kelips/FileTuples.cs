namespace P2POrleans.Kelips;

/// <summary>
/// The filetuples of a peer's own affinity group (Kelips section 2): every file whose name hashes
/// to the group, with its home node. Tombstones are kept like tuples until they time out, so a
/// delete keeps winning over older copies still in flight.
/// </summary>
public sealed class FileTuples
{
    private readonly Dictionary<string, FileTupleEntry> _entries = new(StringComparer.Ordinal);
    private readonly AffinityGroups _groups;

    public FileTuples(int ownGroup, AffinityGroups groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfNegative(ownGroup);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ownGroup, groups.Count);
        _groups = groups;
        OwnGroup = ownGroup;
    }

    public int OwnGroup { get; }

    /// <summary>Stored entries, tombstones included.</summary>
    public int Count => _entries.Count;

    public int LiveCount => _entries.Values.Count(e => !e.Tuple.Deleted);

    public IEnumerable<FileTupleEntry> Entries => _entries.Values;

    public bool Holds(string fileName) => _groups.OfFile(fileName) == OwnGroup;

    public FileTupleEntry? Get(string fileName) => _entries.GetValueOrDefault(fileName);

    /// <summary>The live tuple of a file, or false if unknown or deleted.</summary>
    public bool TryGetLive(string fileName, out FileTuple tuple)
    {
        if (_entries.TryGetValue(fileName, out var entry) && !entry.Tuple.Deleted)
        {
            tuple = entry.Tuple;
            return true;
        }

        tuple = null!;
        return false;
    }

    /// <summary>
    /// Merges a gossiped tuple (section 2.1): kept if it supersedes the stored one
    /// (<see cref="KelipsMerge.Supersedes(FileTuple, FileTuple)"/>), which refreshes it. Tuples of
    /// other groups are ignored. Returns true when the store changed.
    /// </summary>
    public bool Merge(FileTuple tuple, long round)
    {
        ArgumentNullException.ThrowIfNull(tuple);

        // A stored name is known to hash to this group: hash only names not seen yet.
        if (_entries.TryGetValue(tuple.FileName, out var current))
        {
            if (!KelipsMerge.Supersedes(tuple, current.Tuple))
            {
                return false;
            }

            // A delete, or a new home node (adoption after a graceful leave), is news: gossiped first.
            var changed = current.Tuple.Deleted != tuple.Deleted || current.Tuple.HomeNode != tuple.HomeNode ? round : current.ChangedRound;
            _entries[tuple.FileName] = new FileTupleEntry(tuple, round, changed);
            return true;
        }

        if (!Holds(tuple.FileName))
        {
            return false;
        }

        _entries[tuple.FileName] = new FileTupleEntry(tuple, round, round);
        return true;
    }

    /// <summary>Drops tuples and tombstones not refreshed for more than <paramref name="timeoutRounds"/>.</summary>
    public IReadOnlyList<string> Expire(long round, long timeoutRounds)
    {
        var stale = _entries.Values
            .Where(e => round - e.LastRefreshRound > timeoutRounds)
            .Select(e => e.Tuple.FileName)
            .ToList();
        foreach (var name in stale)
        {
            _entries.Remove(name);
        }

        return stale;
    }

    /// <summary>A restored durable peer resumes (see <see cref="AffinityGroupView.Resume"/>): its filetuples count as just refreshed.</summary>
    public void Resume(long round)
    {
        foreach (var entry in _entries.Values.ToList())
        {
            _entries[entry.Tuple.FileName] = entry with { LastRefreshRound = round };
        }
    }

    /// <summary>All stored tuples, sorted by file name (ordinal).</summary>
    public FileTuple[] Snapshot() =>
        [.. _entries.Values.Select(e => e.Tuple).OrderBy(t => t.FileName, StringComparer.Ordinal)];
}
