using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// Measures of a peer's soft state against the truth, for tests and experiments only (the overlay
/// registry knows the live members; routing never uses this).
/// </summary>
public static class KelipsGroundTruth
{
    /// <summary>Fraction of the live members of the peer's group (itself included) present in its view.</summary>
    public static double ViewCompleteness(KelipsSoftState peer, IEnumerable<NodeId> livePeers)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(livePeers);
        var members = livePeers.Where(id => peer.Groups.Of(id) == peer.Group).Distinct().ToList();
        return members.Count == 0 ? 1.0 : members.Count(peer.View.Contains) / (double)members.Count;
    }

    /// <summary>View entries that are not live peers (dead members not yet timed out).</summary>
    public static int StaleViewEntries(KelipsSoftState peer, IEnumerable<NodeId> livePeers)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var live = livePeers.ToHashSet();
        return peer.View.Entries.Count(e => !live.Contains(e.Id));
    }

    /// <summary>Fraction of the given live files hashed to the peer's group that it holds a live filetuple for.</summary>
    public static double FileTupleCoverage(KelipsSoftState peer, IEnumerable<string> liveFiles)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(liveFiles);
        var files = liveFiles.Where(peer.FileTuples.Holds).Distinct(StringComparer.Ordinal).ToList();
        return files.Count == 0 ? 1.0 : files.Count(f => peer.FileTuples.TryGetLive(f, out _)) / (double)files.Count;
    }

    /// <summary>
    /// The live files whose affinity group has no live member: only the file's group holds its
    /// filetuple (section 2), so none is findable, and <see cref="FileTupleCoverage"/>, measured at
    /// live peers, cannot see them. Their home node (the uploader, in another group) still has them
    /// and re-publishes the tuples once a peer of that group is among its contacts again.
    /// </summary>
    public static IReadOnlyList<string> UnindexedFiles(AffinityGroups groups, IEnumerable<string> liveFiles, IEnumerable<NodeId> livePeers)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(liveFiles);
        ArgumentNullException.ThrowIfNull(livePeers);
        var populated = livePeers.Select(groups.Of).ToHashSet();
        return [.. liveFiles.Where(f => !populated.Contains(groups.OfFile(f))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
