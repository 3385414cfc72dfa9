using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A Chord peer (virtual node). Key: "&lt;overlay&gt;/&lt;id hex&gt;". Every call to a peer that is not
/// a member (failed, left, never joined) throws <see cref="PeerUnreachableException"/>.
/// Leave (<see cref="IMemberPeer.LeaveAsync"/>): keys to the successor, neighbours linked to each other.
/// The protocol's messages between peers are those of <see cref="IChordPeer"/>.
/// </summary>
public interface IChordPeerGrain : IChordPeer, IKeyValuePeer
{
    // --- membership -------------------------------------------------------------------
    Task<ChordPeerState> JoinAsync(ChordJoinRequest request);

    /// <summary>Installs a precomputed ideal state (converged build for experiments).</summary>
    Task InstallAsync(ChordParameters parameters, string address, NodeId? predecessor, IReadOnlyList<NodeId> successors, IReadOnlyList<FingerRun> fingers);

    // --- driven by the client (and lookup, put, get of IKeyValuePeer) -------------------
    Task<ChordPeerState> GetStateAsync();

    Task<IReadOnlyList<NodeId>> GetKeyIdsAsync();

    /// <summary>Every key/value this peer holds (its own keys and the copies of others) with each write's version, as stored.</summary>
    Task<IReadOnlyList<StoredItem>> GetItemsAsync();
}
