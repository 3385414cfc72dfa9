
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// What a servent answers a Query with: its own files for a Gnutella servent, the index of its
/// children for a FastTrack supernode. The servent stamps the descriptor id, TTL and Hops.
/// </summary>
public interface IQueryResponder
{
    uint FilesShared { get; }

    uint KilobytesShared { get; }

    /// <param name="query">the Query payload</param>
    /// <param name="requester">the neighbour the Query came from (a supernode leaves out that child's own files)</param>
    IReadOnlyList<QueryHit> Answer(Query query, PeerEndpoint requester);
}
