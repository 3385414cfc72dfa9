using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// A node's leaf set as sent to another node: to a joining node by the numerically closest node Z
/// (section 2.4) and to a neighbour repairing its leaf set (section 2.4, node failure). Each side
/// is ordered closest first. With spread replicas it also carries the silo of its owner and
/// of the leaves whose silo the owner knows, so placement learns silos from the heartbeat it sends anyway.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.LeafSetSnapshot")]
public sealed record PastryLeafSetSnapshot(
    [property: Id(0)] NodeId Owner,
    [property: Id(1)] ImmutableArray<NodeId> Smaller,
    [property: Id(2)] ImmutableArray<NodeId> Larger,
    [property: Id(3)] string? Silo = null,
    [property: Id(4)] ImmutableDictionary<NodeId, string>? LeafSilos = null);
