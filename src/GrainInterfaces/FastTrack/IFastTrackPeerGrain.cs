using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.FastTrack;

/// <summary>
/// A FastTrack peer (key "&lt;overlay&gt;/&lt;node&gt;"): an ordinary peer attached to a supernode, or a
/// supernode (promoted by reputation) that indexes its children and floods other supernodes.
/// </summary>
public interface IFastTrackPeerGrain : IUnstructuredPeer, IFloodNodeGrain
{
    Task InitAsync(FastTrackSetup setup);

    /// <summary>Whether the reputation it starts with is above the promotion threshold.</summary>
    Task<bool> WantsPromotionAsync();

    /// <summary>Becomes a supernode: indexes its own files and links to other supernodes.</summary>
    Task PromoteAsync();

    /// <summary>An ordinary peer joins the closest supernode (RTT) that takes children.</summary>
    Task<int> AttachAsync();

    Task<QueryOutcome> SearchAsync(string text, int? ttl);

    Task<FetchOutcome> FetchAsync(string text, int? ttl);

    // --- supernode side ----------------------------------------------------------------

    /// <summary>A child uploads its file list; false when full or not a supernode.</summary>
    Task<bool> AddChildAsync(int child, ServentIdentity identity, IReadOnlyList<SharedFile> files);

    Task RemoveChildAsync(int child);

    /// <summary>Answers from the index, then floods the other supernodes with the TTL.</summary>
    Task<QueryOutcome> SupernodeSearchAsync(string text, int ttl, int requester);

    Task LinkAsync(int supernode);

    Task UnlinkAsync(int supernode);

    /// <summary>Sent by a supernode that leaves to each child: find another supernode.</summary>
    Task SupernodeLeftAsync(int supernode);
}
