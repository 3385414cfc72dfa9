using P2POrleans.Common;

namespace P2POrleans.Kelips.Replication;

/// <summary>
/// Backup copies of files (docs/durability.md, Replicas = k &gt; 1), with no Orleans types. Kelips keeps a file
/// only at its home node (section 2); here the home also keeps k - 1 copies at members of its OWN
/// affinity group: it has the full view of that group (section 2), and those members have the home
/// in theirs, so they notice by the member timeout (section 2.1) when it dies. The holders are in
/// failover order; a holder adopts the file (becomes its home node) once the home and every holder
/// before it are gone from its view. Silos are learnt from the holders' replies; an unknown silo
/// counts as a host of its own ("unknown:" + id), as in Chord.
/// </summary>
public sealed class KelipsBackups
{
    private readonly Dictionary<string, HeldBackup> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeId[]> _pushed = new(StringComparer.Ordinal);
    private readonly Dictionary<NodeId, string> _silos = [];
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public KelipsBackups(NodeId self, int replicas, bool spread)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        Self = self;
        Replicas = replicas;
        Spread = spread;
    }

    public NodeId Self { get; }

    /// <summary>k: copies of each file, the home's included.</summary>
    public int Replicas { get; }

    public bool Spread { get; }

    /// <summary>Copies held here for other homes, by file name.</summary>
    public IReadOnlyCollection<HeldBackup> Held => _held.Values;

    /// <summary>The holders each hosted file's copy was last pushed to.</summary>
    public IReadOnlyDictionary<string, NodeId[]> Pushed => _pushed;

    public IReadOnlyDictionary<NodeId, string> Silos => _silos;

    public string SiloOf(NodeId peer) => _silos.TryGetValue(peer, out var silo) ? silo : Unknown(peer);

    public static string Unknown(NodeId peer) => "unknown:" + peer.ToHex();

    public void LearnSilo(NodeId peer, string silo)
    {
        if (!string.IsNullOrEmpty(silo))
        {
            _silos[peer] = silo;
        }
    }

    /// <summary>Group mates in the order that decides the holders: XOR distance of their id to the SHA-1 of the file name.</summary>
    public static IReadOnlyList<NodeId> Candidates(NodeId self, IEnumerable<NodeId> groupMates, string fileName)
    {
        var key = IdSpace.Sha1.Hash(fileName);
        return [.. groupMates.Where(m => m != self).Distinct().OrderBy(m => m.Xor(key))];
    }

    /// <summary>The k - 1 holders: spread over silos (<see cref="ReplicaPlacement.Spread"/>) or the first candidates.</summary>
    public static IReadOnlyList<NodeId> Targets(string homeSilo, IReadOnlyList<NodeId> candidates, Func<NodeId, string> siloOf, int replicas, bool spread) =>
        spread ? ReplicaPlacement.Spread(homeSilo, candidates, siloOf, replicas) : ReplicaPlacement.Plain(candidates, replicas);

    /// <summary>
    /// The failover rule: a holder adopts when every peer listed before it (the home first) is gone
    /// from its view. A peer not listed (or the home) never adopts.
    /// </summary>
    public static bool ShouldAdopt(BackupCopy copy, NodeId self, Func<NodeId, bool> inView)
    {
        ArgumentNullException.ThrowIfNull(copy);
        for (var i = 0; i < copy.Holders.Length; i++)
        {
            if (copy.Holders[i] == self)
            {
                return i > 0; // the home itself never adopts
            }

            if (inView(copy.Holders[i]))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// A heartbeat the adopted filetuple must beat: the dead home bumped its tuple once per round
    /// (section 2.1) since it pushed the copy, and this holder has counted at least as many rounds
    /// since receiving it, so no tuple of the old home can be higher.
    /// </summary>
    public static long AdoptionHeartbeat(HeldBackup held, long round)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Copy.Heartbeat + Math.Max(0, round - held.ReceivedRound) + 1;
    }

    /// <summary>Stores (or drops, when its content is null) a copy pushed by a home; true when what is held changed.</summary>
    public bool Store(BackupCopy copy, long round)
    {
        ArgumentNullException.ThrowIfNull(copy);
        if (copy.Content is null || copy.Home == Self)
        {
            return _held.TryGetValue(copy.FileName, out var held) && held.Copy.Home == copy.Home && _held.Remove(copy.FileName);
        }

        if (_held.TryGetValue(copy.FileName, out var old) && old.Copy.Home == copy.Home && old.Copy.Content == copy.Content
            && old.Copy.Holders.SequenceEqual(copy.Holders) && old.Copy.Heartbeat >= copy.Heartbeat)
        {
            return false;
        }

        _held[copy.FileName] = new HeldBackup(copy, round);
        return true;
    }

    public void Restore(HeldBackup held)
    {
        ArgumentNullException.ThrowIfNull(held);
        _held[held.Copy.FileName] = held;
    }

    /// <summary>The copies whose home (and earlier holders) this peer's view has lost: adopt them now.</summary>
    public IReadOnlyList<HeldBackup> DueForAdoption(Func<NodeId, bool> inView) =>
        [.. _held.Values.Where(h => ShouldAdopt(h.Copy, Self, inView)).OrderBy(h => h.Copy.FileName, StringComparer.Ordinal)];

    public bool Release(string fileName) => _held.Remove(fileName);

    /// <summary>A hosted file got new content (inserted again): its holders need the new copy even if they stay the same.</summary>
    public void ContentChanged(string fileName) => _changed.Add(fileName);

    /// <summary>
    /// The pushes a home owes (checked at its round): a copy for each hosted file whose holders or
    /// content changed since the last push, and a drop for each file pushed before but no longer hosted
    /// (deleted, or handed over). Nothing when the holders and files are unchanged.
    /// </summary>
    /// <param name="hosted">The live hosted files: tuple and content.</param>
    public IReadOnlyList<BackupPush> Plan(string homeSilo, IEnumerable<(FileTuple Tuple, string Content)> hosted, IReadOnlyCollection<NodeId> groupMates, long homeHeartbeat)
    {
        var pushes = new List<BackupPush>();
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tuple, content) in hosted.OrderBy(h => h.Tuple.FileName, StringComparer.Ordinal))
        {
            live.Add(tuple.FileName);
            var targets = Replicas <= 1 ? [] : Targets(homeSilo, Candidates(Self, groupMates, tuple.FileName), SiloOf, Replicas, Spread);
            var before = _pushed.GetValueOrDefault(tuple.FileName) ?? [];
            if (targets.SequenceEqual(before) && !_changed.Contains(tuple.FileName))
            {
                continue;
            }

            pushes.Add(new BackupPush(
                new BackupCopy(tuple.FileName, content, tuple.Heartbeat, [Self, .. targets], homeHeartbeat),
                targets,
                [.. before.Except(targets)]));
        }

        foreach (var (name, before) in _pushed.Where(p => !live.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            pushes.Add(new BackupPush(new BackupCopy(name, null, 0, [Self], homeHeartbeat), [], before));
        }

        return pushes;
    }

    /// <summary>Records a push that reached every target (an empty list forgets the file).</summary>
    public void MarkPushed(string fileName, IReadOnlyList<NodeId> targets)
    {
        _changed.Remove(fileName);
        if (targets.Count == 0)
        {
            _pushed.Remove(fileName);
        }
        else
        {
            _pushed[fileName] = [.. targets];
        }
    }
}
