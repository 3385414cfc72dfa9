namespace P2POrleans.Pastry;

/// <summary>Entry counts of one node's state, for memory reports and state-size gauges.</summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.StateSize")]
public readonly record struct PastryStateSize(
    [property: Id(0)] int LeafSetEntries,
    [property: Id(1)] int RoutingTableEntries,
    [property: Id(2)] int RoutingTableRows,
    [property: Id(3)] int NeighbourhoodEntries,
    [property: Id(4)] int DistinctNodes)
{
    /// <summary>Entries over the three tables (a node in two tables counts twice).</summary>
    public int TotalEntries => LeafSetEntries + RoutingTableEntries + NeighbourhoodEntries;
}
