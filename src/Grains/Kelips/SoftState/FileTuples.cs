namespace P2POrleans.Kelips.SoftState;

/// <summary>
/// The filetuples of a peer's own affinity group (Kelips section 2): every file whose name hashes
/// to the group, with its home node. Tombstones are kept like tuples until they time out, so a
/// delete keeps winning over older copies still in flight.
/// </summary>
public sealed class FileTuples
{
    private readonly Dictionary<string, FileTupleEntry> _entries = new(StringComparer.Ordinal);

    // Tuples timed out, with the tuple they died with and the round: as for members and contacts
    // (AffinityGroupView), copies of a dead home's tuple still held by mates must not come back as
    // fresh; only a tuple that supersedes the dead one (a later heartbeat: the home is alive, a
    // backup holder adopted the file, or a delete) is taken (section 2.1, docs/kelips.md).
    private readonly Dictionary<string, (FileTuple Tuple, long Round)> _removed = new(StringComparer.Ordinal);
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
    /// other groups are ignored, and so is a tuple of a file this peer timed out unless it supersedes
    /// the tuple it timed out. Returns true when the store changed.
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

        if (_removed.TryGetValue(tuple.FileName, out var dead))
        {
            // A mate's copy of what we timed out (a little younger, or never refreshed since) is no
            // news: taken as fresh, it would restart the timeout here and circulate for ever.
            if (!KelipsMerge.Supersedes(tuple, dead.Tuple))
            {
                return false;
            }

            _removed.Remove(tuple.FileName);
        }

        _entries[tuple.FileName] = new FileTupleEntry(tuple, round, round);
        return true;
    }

    /// <summary>Drops tuples and tombstones not refreshed for more than <paramref name="timeoutRounds"/>; returns their names.</summary>
    /// <param name="forgetRemovedAfterRounds">How long a timed-out tuple is remembered (default twice
    /// the timeout). Every mate's copy of the same heartbeat was refreshed within one refresh cycle
    /// of ours (at most the timeout, which is sized to several cycles), so it expires within a
    /// timeout of ours; the second timeout covers a copy taken fresh by a mate that never held it.</param>
    public IReadOnlyList<string> Expire(long round, long timeoutRounds, long? forgetRemovedAfterRounds = null)
    {
        var forget = forgetRemovedAfterRounds ?? (2 * timeoutRounds);
        foreach (var name in _removed.Where(r => round - r.Value.Round > forget).Select(r => r.Key).ToList())
        {
            _removed.Remove(name);
        }

        var stale = _entries.Values
            .Where(e => round - e.LastRefreshRound > timeoutRounds)
            .Select(e => e.Tuple)
            .ToList();
        foreach (var tuple in stale)
        {
            _entries.Remove(tuple.FileName);
            _removed[tuple.FileName] = (tuple, round);
        }

        return [.. stale.Select(t => t.FileName)];
    }

    /// <summary>True while a timed-out tuple of <paramref name="fileName"/> is remembered (tests, diagnostics).</summary>
    public bool Remembers(string fileName) => _removed.ContainsKey(fileName);

    /// <summary>
    /// Restores a tuple of a durable record written at <paramref name="round"/>, when it was
    /// <paramref name="age"/> rounds since its last refresh (see <see cref="Resume"/>).
    /// </summary>
    public bool Restore(FileTuple tuple, long round, long age)
    {
        ArgumentNullException.ThrowIfNull(tuple);
        if (!Holds(tuple.FileName))
        {
            return false;
        }

        _entries[tuple.FileName] = new FileTupleEntry(tuple, round - Math.Max(0, age), round);
        return true;
    }

    /// <summary>
    /// A restored durable peer resumes <paramref name="elapsedRounds"/> after its record was written
    /// (see <see cref="AffinityGroupView.Resume"/>): each tuple keeps the age it had at the write. Made
    /// just refreshed, a crashed home's tuple would live a whole timeout more here and be gossiped
    /// to mates that never held it (those that timed it out refuse it, see <see cref="Merge"/>).
    /// </summary>
    public void Resume(long round, long elapsedRounds)
    {
        foreach (var entry in _entries.Values.ToList())
        {
            _entries[entry.Tuple.FileName] = entry with { LastRefreshRound = AffinityGroupView.Shifted(entry.LastRefreshRound, round, elapsedRounds) };
        }
    }

    /// <summary>All stored tuples, sorted by file name (ordinal).</summary>
    public FileTuple[] Snapshot() =>
        [.. _entries.Values.Select(e => e.Tuple).OrderBy(t => t.FileName, StringComparer.Ordinal)];

    /// <summary>All stored tuples as <see cref="Snapshot"/>, each with the rounds since it was last refreshed, as at <paramref name="round"/>.</summary>
    public (FileTuple Tuple, long Age)[] AgedSnapshot(long round) =>
        [.. _entries.Values.OrderBy(e => e.Tuple.FileName, StringComparer.Ordinal).Select(e => (e.Tuple, Math.Max(0, round - e.LastRefreshRound)))];
}
