namespace P2POrleans.Pastry.Tables;

/// <summary>The parts of a node's state a node was taken into or dropped from.</summary>
[Flags]
public enum PastryTables
{
    None = 0,
    LeafSetSmaller = 1,
    LeafSetLarger = 2,
    LeafSet = LeafSetSmaller | LeafSetLarger,
    RoutingTable = 4,
    NeighbourhoodSet = 8,
}
