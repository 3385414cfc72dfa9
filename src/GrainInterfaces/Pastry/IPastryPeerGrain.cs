using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// A Pastry peer. Key: "&lt;overlay&gt;/&lt;id hex&gt;". Every call to a peer that is not a member
/// (failed, left, never joined) throws <see cref="PeerUnreachableException"/>.
/// Leave (<see cref="IMemberPeer.LeaveAsync"/>): keys handed to the replicas, every known node told.
/// </summary>
public interface IPastryPeerGrain : IKeyValuePeer
{
    // --- membership -------------------------------------------------------------------
    /// <summary>Joins through the nearest of the request's members (section 2.4), or starts the overlay alone.</summary>
    Task<PastryPeerState> JoinAsync(PastryJoinRequest request);

    /// <summary>Installs a precomputed converged state (experiments).</summary>
    Task InstallAsync(PastryParameters parameters, string address, PastryPeerState state);

    // --- the protocol's messages -------------------------------------------------------
    /// <summary>One routing step for the key (iterative lookups), skipping the peers in exclude (known dead).</summary>
    Task<PastryRouteDecision> RouteStepAsync(NodeId key, IReadOnlyList<NodeId> exclude);

    /// <summary>Recursive routing: this peer forwards the message itself; the returned path starts here.</summary>
    Task<IReadOnlyList<Hop>> RouteAsync(NodeId key, int hopIndex);

    /// <summary>A join message for X reaches this node (section 2.4).</summary>
    Task<PastryJoinStep> JoinStepAsync(NodeId joining, IReadOnlyList<NodeId> exclude);

    Task<PastryNeighbourhoodSnapshot> GetNeighbourhoodAsync();

    Task<PastryLeafSetSnapshot> GetLeafSetAsync();

    /// <summary>The periodic leaf-set heartbeat: each side learns the other's leaf set (its owner included).</summary>
    Task<PastryLeafSetSnapshot> ExchangeLeafSetAsync(PastryLeafSetSnapshot sender);

    /// <summary>X announces itself with the nodes of its state; the receiver learns them (section 2.4).</summary>
    Task AnnounceAsync(NodeId joined, ImmutableArray<NodeId> state);

    /// <summary>A leaving node says goodbye and hands over its leaf set, which repairs ours at once.</summary>
    Task DepartingAsync(NodeId leaving, PastryLeafSetSnapshot leafSet);

    /// <summary>Routing-table repair (section 2.4): the nodes this peer knows that fit the requester's R[row][column].</summary>
    Task<ImmutableArray<NodeId>> RepairCandidatesAsync(NodeId requester, int row, int column);

    Task PingAsync();

    /// <summary>Stores items as a replica (a put's owner, replication, hand-over).</summary>
    Task StoreReplicasAsync(IReadOnlyList<StoredItem> items);

    /// <summary>Stores an item at the numerically closest peer, which copies it to the other k - 1 closest of its leaf set.</summary>
    Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item);

    /// <summary>The k numerically closest to a key among this peer and its live leaves (closest first).</summary>
    Task<IReadOnlyList<NodeId>> ReplicaSetAsync(NodeId key);

    Task<string?> ReadLocalAsync(string key);

    // --- driven by the client (and lookup, put, get of IKeyValuePeer) -------------------
    Task<PastryPeerState> GetStateAsync();

    Task<IReadOnlyList<NodeId>> GetKeyIdsAsync();
}
