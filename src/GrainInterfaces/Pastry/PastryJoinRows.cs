using System.Collections.Immutable;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// What a node on the join route contributes to the joining node's routing table (section 2.4):
/// the entries of its rows 0..<see cref="LastRow"/>, where LastRow is the number of digits it shares
/// with the joining id. Positions are not sent: the receiver places each id by its own prefix.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.JoinRows")]
public sealed record PastryJoinRows(
    [property: Id(0)] NodeId From,
    [property: Id(1)] int LastRow,
    [property: Id(2)] ImmutableArray<NodeId> Entries);
