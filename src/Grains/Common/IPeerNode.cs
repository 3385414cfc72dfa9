namespace P2POrleans.Common;

/// <summary>
/// What the shared peer plumbing (<see cref="PeerCalls{TPeer}"/>, <see cref="PeerGrain{TNode, TRecord, TMarker, TPeer}"/>)
/// needs of a protocol's node, the grain-held state of one member: its parameters, its message
/// counters, and how it drops a peer it will not call again.
/// </summary>
public interface IPeerNode
{
    OverlayParameters Parameters { get; }

    /// <summary>One more message of this kind (<see cref="P2PTelemetry.LookupKind"/> or <see cref="P2PTelemetry.MaintenanceKind"/>) sent by this node.</summary>
    void CountMessage(string kind);

    /// <summary>Drops a peer found gone from every table (the protocol's own repair then fills the gap).</summary>
    void Forget(NodeId peer);
}
