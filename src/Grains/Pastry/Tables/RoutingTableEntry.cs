using P2POrleans.Common;

namespace P2POrleans.Pastry.Tables;

/// <summary>One occupied slot R[Row][Column] of a routing table.</summary>
public readonly record struct RoutingTableEntry(int Row, int Column, NodeId Node);
