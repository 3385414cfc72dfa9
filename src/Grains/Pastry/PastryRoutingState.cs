using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// The routing state of one Pastry node (section 2.1, "Pastry node state"): leaf set, routing table
/// and neighbourhood set. Pure and single-threaded: a <see cref="PastryNode"/> owns one, feeds it every
/// node it hears of (<see cref="Learn"/>) and every node found dead (<see cref="Forget"/>); the router,
/// join and repair rules read it. Kept apart from the node because the ideal overlay builds one per
/// node without keys or counters.
/// </summary>
public sealed class PastryRoutingState
{
    public PastryRoutingState(NodeId id, PastryParameters parameters, Func<NodeId, NodeId, double> rtt)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(rtt);
        parameters.EnsureValid();
        Id = id;
        Parameters = parameters;
        Rtt = rtt;
        LeafSet = new LeafSet(id, parameters.Space, parameters.LeafSetSize);
        RoutingTable = new RoutingTable(id, parameters.Space, parameters.DigitBits, rtt, parameters.ProximitySelection);
        NeighbourhoodSet = new NeighbourhoodSet(id, parameters.NeighbourhoodSize, rtt);
    }

    public NodeId Id { get; }

    public PastryParameters Parameters { get; }

    public IdSpace Space => LeafSet.Space;

    public int DigitBits => Parameters.DigitBits;

    /// <summary>The proximity metric: RTT in ms between two nodes.</summary>
    public Func<NodeId, NodeId, double> Rtt { get; }

    public LeafSet LeafSet { get; }

    public RoutingTable RoutingTable { get; }

    public NeighbourhoodSet NeighbourhoodSet { get; }

    /// <summary>Offers a node to every table; returns the tables that hold it afterwards.</summary>
    public PastryTables Learn(NodeId candidate)
    {
        if (candidate == Id)
        {
            return PastryTables.None;
        }

        LeafSet.Consider(candidate);
        RoutingTable.Consider(candidate);
        NeighbourhoodSet.Consider(candidate);
        return Where(candidate);
    }

    /// <summary>Learns every candidate not in <paramref name="excluded"/> (known dead); returns how many were taken somewhere.</summary>
    public int LearnAll(IEnumerable<NodeId> candidates, IReadOnlySet<NodeId>? excluded = null)
    {
        var taken = 0;
        foreach (var candidate in candidates)
        {
            if ((excluded is null || !excluded.Contains(candidate)) && Learn(candidate) != PastryTables.None)
            {
                taken++;
            }
        }

        return taken;
    }

    /// <summary>
    /// Drops a failed or departed node from every table; returns where it was, so the caller knows
    /// what to repair (a leaf-set side, or the routing-table slot given by <see cref="RoutingTable.SlotOf"/>).
    /// </summary>
    public PastryTables Forget(NodeId node)
    {
        var sides = LeafSet.Remove(node);
        var where = (sides.HasFlag(LeafSides.Smaller) ? PastryTables.LeafSetSmaller : PastryTables.None)
            | (sides.HasFlag(LeafSides.Larger) ? PastryTables.LeafSetLarger : PastryTables.None);
        if (RoutingTable.Remove(node))
        {
            where |= PastryTables.RoutingTable;

            // The emptied slot may be fillable from what we already know: a leaf or neighbour that
            // lost the slot to the dead node on proximity gets it now, before any repair message.
            foreach (var known in LeafSet.All.Concat(NeighbourhoodSet.Members))
            {
                if (known != node)
                {
                    RoutingTable.Consider(known);
                }
            }
        }

        if (NeighbourhoodSet.Remove(node))
        {
            where |= PastryTables.NeighbourhoodSet;
        }

        return where;
    }

    public PastryTables Where(NodeId node)
    {
        var sides = LeafSet.SideOf(node);
        return (sides.HasFlag(LeafSides.Smaller) ? PastryTables.LeafSetSmaller : PastryTables.None)
            | (sides.HasFlag(LeafSides.Larger) ? PastryTables.LeafSetLarger : PastryTables.None)
            | (RoutingTable.Contains(node) ? PastryTables.RoutingTable : PastryTables.None)
            | (NeighbourhoodSet.Contains(node) ? PastryTables.NeighbourhoodSet : PastryTables.None);
    }

    public bool Knows(NodeId node) => Where(node) != PastryTables.None;

    /// <summary>Every node in any table, once.</summary>
    public IEnumerable<NodeId> KnownNodes =>
        LeafSet.All.Concat(RoutingTable.Entries.Select(e => e.Node)).Concat(NeighbourhoodSet.Members).Distinct();

    public PastryStateSize Size() => new(
        LeafSet.Count,
        RoutingTable.Count,
        RoutingTable.PopulatedRowCount,
        NeighbourhoodSet.Count,
        KnownNodes.Count());
}
