using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A Chord peer (virtual node). Key: "&lt;overlay&gt;/&lt;id hex&gt;". Every call to a peer that is not
/// a member (failed, left, never joined) throws <see cref="PeerUnreachableException"/>.
/// Leave (<see cref="IMemberPeer.LeaveAsync"/>): keys to the successor, neighbours linked to each other.
/// </summary>
public interface IChordPeerGrain : IMemberPeer
{
    // --- membership -------------------------------------------------------------------
    Task<ChordPeerState> JoinAsync(ChordJoinRequest request);

    /// <summary>Installs a precomputed ideal state (converged build for experiments).</summary>
    Task InstallAsync(ChordParameters parameters, string address, NodeId? predecessor, IReadOnlyList<NodeId> successors, IReadOnlyList<FingerRun> fingers);

    // --- the protocol's messages -------------------------------------------------------
    /// <summary>One step of an iterative find_successor, skipping the peers in exclude (known dead).</summary>
    Task<ChordNextStep> FindNextAsync(NodeId key, IReadOnlyList<NodeId> exclude);

    /// <summary>Recursive routing: this peer forwards the query itself; the returned path starts here.</summary>
    Task<IReadOnlyList<Hop>> RouteAsync(NodeId key, int hopIndex, NodeId initiator);

    Task<ChordNeighbours> GetNeighboursAsync();

    Task<ChordNotifyResult> NotifyAsync(NodeId candidate);

    Task PingAsync();

    /// <summary>Stabilize now (used when a joiner tells its predecessor it exists).</summary>
    Task StabilizeAsync();

    Task SuccessorLeavingAsync(NodeId leaving, IReadOnlyList<NodeId> successors);

    Task PredecessorLeavingAsync(NodeId leaving, NodeId? predecessor, IReadOnlyList<StoredItem> keys);

    /// <summary>Stores an item as its owner (then replicates) or as a replica.</summary>
    Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item, bool asOwner);

    Task StoreReplicasAsync(IReadOnlyList<StoredItem> items);

    Task<string?> ReadLocalAsync(string key);

    // --- driven by the client ----------------------------------------------------------
    Task<LookupResult> LookupAsync(NodeId key, string? keyText);

    Task<ChordPutResult> PutAsync(string key, string value);

    Task<ChordGetResult> GetAsync(string key);

    Task<ChordPeerState> GetStateAsync();

    Task<IReadOnlyList<NodeId>> GetKeyIdsAsync();
}
