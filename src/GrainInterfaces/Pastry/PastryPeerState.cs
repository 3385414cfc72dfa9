using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// A snapshot of one peer's state (section 2.1), for `table`, `leafset`, checks and converged
/// builds. Routing-table entries are sent without positions: an id's slot follows from its prefix.
/// Silo: where the peer is activated (for `check` of spread replicas and the silo-kill tests).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.PeerState")]
public sealed record PastryPeerState(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] string Address,
    [property: Id(2)] PastryLeafSetSnapshot LeafSet,
    [property: Id(3)] ImmutableArray<NodeId> RoutingTable,
    [property: Id(4)] ImmutableArray<NodeId> Neighbourhood,
    [property: Id(5)] int Keys,
    [property: Id(6)] long LookupMessages,
    [property: Id(7)] long MaintenanceMessages,
    [property: Id(8)] string? Silo = null);
