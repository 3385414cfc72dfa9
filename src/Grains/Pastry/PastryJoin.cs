using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// Node arrival (section 2.4). The new node X asks a nearby node A to route a "join" message with
/// key X; it reaches Z, the live node numerically closest to X. Every node on the route sends X
/// the rows of its routing table that are valid for X (<see cref="RowsFor"/>), Z sends its leaf
/// set and A its neighbourhood set; X assembles its state (<see cref="BuildState"/>) and announces
/// itself to every node in it (<see cref="AnnounceTargets"/>), which learn X (<see cref="AcceptAnnouncement"/>).
/// </summary>
public static class PastryJoin
{
    /// <summary>
    /// What a node on the join route contributes: its rows 0..l, l the digits it shares with X.
    /// Row i &lt; l of such a node is valid as X's row i because the two agree on the first l digits;
    /// row l holds candidates for X's row l or deeper (the paper's "node i gives row i" generalized to
    /// routes that skip rows). The node itself is a candidate too and is named in From.
    /// </summary>
    public static PastryJoinRows RowsFor(PastryRoutingState node, NodeId joining)
    {
        ArgumentNullException.ThrowIfNull(node);
        var lastRow = Math.Min(node.Space.SharedPrefixDigits(node.Id, joining, node.DigitBits), node.RoutingTable.RowCount - 1);
        return new PastryJoinRows(node.Id, lastRow, [.. node.RoutingTable.EntriesUpToRow(lastRow).Where(id => id != joining)]);
    }

    /// <summary>
    /// X's initial state from what the join route sent: the route's rows and the route nodes, Z's
    /// leaf set (and Z), A's neighbourhood set (and A). Every id is offered to every table, so each
    /// lands where it fits for X and proximity selection applies; nodes in <paramref name="dead"/> are skipped.
    /// </summary>
    public static PastryRoutingState BuildState(
        NodeId joining,
        PastryParameters parameters,
        Func<NodeId, NodeId, double> rtt,
        IEnumerable<PastryJoinRows> route,
        PastryLeafSetSnapshot? closest,
        PastryNeighbourhoodSnapshot? nearby,
        IReadOnlySet<NodeId>? dead = null)
    {
        ArgumentNullException.ThrowIfNull(route);
        var state = new PastryRoutingState(joining, parameters, rtt);
        if (nearby is not null)
        {
            state.LearnAll([nearby.Owner, .. nearby.Members], dead);
        }

        foreach (var rows in route)
        {
            state.LearnAll([rows.From, .. rows.Entries], dead);
        }

        if (closest is not null)
        {
            state.LearnAll([closest.Owner, .. closest.Smaller, .. closest.Larger], dead);
        }

        return state;
    }

    /// <summary>Every node of X's state, once: X sends each a copy of its state (section 2.4).</summary>
    public static IReadOnlyList<NodeId> AnnounceTargets(PastryRoutingState joined)
    {
        ArgumentNullException.ThrowIfNull(joined);
        return [.. joined.KnownNodes];
    }

    /// <summary>A node told of X's arrival learns X and, optionally, the nodes of X's state.</summary>
    public static PastryTables AcceptAnnouncement(PastryRoutingState receiver, NodeId joined, IEnumerable<NodeId>? joinedState = null, IReadOnlySet<NodeId>? dead = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (joinedState is not null)
        {
            receiver.LearnAll(joinedState, dead);
        }

        return receiver.Learn(joined);
    }
}
