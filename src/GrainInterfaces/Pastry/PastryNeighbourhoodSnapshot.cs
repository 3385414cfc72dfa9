using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>A node's neighbourhood set, closest first, as sent by the nearby node A to a joining node (section 2.4).</summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.NeighbourhoodSnapshot")]
public sealed record PastryNeighbourhoodSnapshot(
    [property: Id(0)] NodeId Owner,
    [property: Id(1)] ImmutableArray<NodeId> Members);
