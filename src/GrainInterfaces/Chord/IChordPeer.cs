using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The messages one Chord peer sends another (docs/chord.md, messages). The pure core of a peer
/// (ChordNode) talks to the others only through this interface: in a silo each is a peer grain
/// (<see cref="IChordPeerGrain"/> extends it), in the unit tests an object of an in-memory ring.
/// A peer that is not a member answers every message with <see cref="PeerUnreachableException"/>.
/// </summary>
public interface IChordPeer
{
    /// <summary>One step of an iterative find_successor, skipping the peers in exclude (known dead).</summary>
    Task<ChordNextStep> FindNextAsync(NodeId key, IReadOnlyList<NodeId> exclude);

    /// <summary>Recursive routing: this peer forwards the query itself; the returned route starts with the hop it made.</summary>
    Task<ChordRoute> RouteAsync(NodeId key, int hopIndex, NodeId initiator);

    /// <summary>What stabilize asks of a successor: its predecessor and successor list.</summary>
    Task<ChordNeighbours> GetNeighboursAsync();

    /// <summary>notify(n'): n' thinks it might be our predecessor (Chord figure 7).</summary>
    Task<ChordNotifyResult> NotifyAsync(NodeId candidate);

    /// <summary>Is the peer alive (check_predecessor, and the owner check of a lookup)?</summary>
    Task PingAsync();

    /// <summary>Stabilize now (used when a joiner tells its predecessor it exists).</summary>
    Task StabilizeAsync();

    /// <summary>Our successor leaves gracefully and names its successors.</summary>
    Task SuccessorLeavingAsync(NodeId leaving, IReadOnlyList<NodeId> successors);

    /// <summary>Our predecessor leaves gracefully and hands us its keys and its own predecessor.</summary>
    Task PredecessorLeavingAsync(NodeId leaving, NodeId? predecessor, IReadOnlyList<StoredItem> keys);

    /// <summary>Stores an item as its owner (then replicates) or as a replica.</summary>
    Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item, bool asOwner);

    /// <summary>Copies of keys (replication, hand-off).</summary>
    Task StoreReplicasAsync(IReadOnlyList<StoredItem> items);

    /// <summary>The value this peer holds for a key, if any (no routing).</summary>
    Task<string?> ReadLocalAsync(string key);
}
