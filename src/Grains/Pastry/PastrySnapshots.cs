using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>Turns a node's state into its wire snapshot and back (for checks and converged builds).</summary>
public static class PastrySnapshots
{
    public static PastryPeerState ToPeerState(PastryRoutingState state, string address, int keys, long lookupMessages, long maintenanceMessages)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new PastryPeerState(state.Id, address, state.LeafSet.Snapshot(), [.. state.RoutingTable.Entries.Select(e => e.Node)],
            [.. state.NeighbourhoodSet.Members], keys, lookupMessages, maintenanceMessages);
    }

    /// <summary>
    /// Rebuilds the state exactly as sent: each id goes only into the table it came from (Learn would
    /// offer it to all three and could change them).
    /// </summary>
    public static PastryRoutingState Restore(PastryPeerState snapshot, PastryParameters parameters, Func<NodeId, NodeId, double> rtt)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new PastryRoutingState(snapshot.Id, parameters, rtt);
        foreach (var leaf in snapshot.LeafSet.Smaller.Concat(snapshot.LeafSet.Larger))
        {
            state.LeafSet.Consider(leaf);
        }

        foreach (var entry in snapshot.RoutingTable)
        {
            state.RoutingTable.Consider(entry);
        }

        foreach (var member in snapshot.Neighbourhood)
        {
            state.NeighbourhoodSet.Consider(member);
        }

        return state;
    }
}
