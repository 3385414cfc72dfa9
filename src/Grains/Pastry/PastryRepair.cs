using System.Collections.Immutable;
using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// Repair after a node failure (section 2.4, "node departure"). Leaf set: ask the live leaf with the
/// largest index on the side of the failed leaf for its leaf set and merge it. Routing table: for a
/// dead R[l][d], ask the other entries of row l for their R[l][d], then the entries of row l+1, and
/// so on, until one answers with a live node.
/// </summary>
public static class PastryRepair
{
    /// <summary>
    /// The node to ask for its leaf set after the given side lost a member: the farthest live leaf on
    /// that side, or, if that side has none left, the farthest live leaf on the other side. Null when
    /// no live leaf remains.
    /// </summary>
    public static NodeId? LeafSetRepairContact(LeafSet leafSet, LeafSides side, IReadOnlySet<NodeId>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(leafSet);
        var other = side == LeafSides.Smaller ? LeafSides.Larger : LeafSides.Smaller;
        return leafSet.FarthestOnSide(side, excluded) ?? leafSet.FarthestOnSide(other, excluded);
    }

    /// <summary>Merges a leaf set received for repair (its owner included); known-dead nodes are skipped.</summary>
    public static int MergeLeafSet(PastryRoutingState state, PastryLeafSetSnapshot snapshot, IReadOnlySet<NodeId>? dead = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(snapshot);
        return state.LearnAll([snapshot.Owner, .. snapshot.Smaller, .. snapshot.Larger], dead);
    }

    /// <summary>
    /// Whom to ask, in order, for a replacement of R[row][column]: the other live entries of row
    /// <paramref name="row"/>, then those of row+1, and so on. Each shares at least <paramref name="row"/>
    /// digits with us, so its own R[row][column] is a valid candidate for ours.
    /// </summary>
    public static IReadOnlyList<NodeId> RoutingRepairContacts(RoutingTable table, int row, int column, IReadOnlySet<NodeId>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Entries
            .Where(e => e.Row >= row && !(e.Row == row && e.Column == column))
            .Select(e => e.Node)
            .Where(id => excluded is null || !excluded.Contains(id))];
    }

    /// <summary>
    /// <see cref="RoutingRepairContacts(RoutingTable, int, int, IReadOnlySet{NodeId}?)"/> in the paper's
    /// order, then the leaf-set and neighbourhood-set members that share at least <paramref name="row"/>
    /// digits with us. With b = 1 a row has a single entry, so the paper's contacts are few (rows below
    /// are sparse); the extra ones know the same region of the ring and make a refill far more likely.
    /// </summary>
    public static IReadOnlyList<NodeId> RoutingRepairContacts(PastryRoutingState state, int row, int column, IReadOnlySet<NodeId>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var contacts = RoutingRepairContacts(state.RoutingTable, row, column, excluded).ToList();
        var listed = contacts.ToHashSet();
        foreach (var id in state.LeafSet.All.Concat(state.NeighbourhoodSet.Members))
        {
            if (state.Space.SharedPrefixDigits(id, state.Id, state.DigitBits) >= row
                && (excluded is null || !excluded.Contains(id))
                && listed.Add(id))
            {
                contacts.Add(id);
            }
        }

        return contacts;
    }

    /// <summary>
    /// The responder's answer to "your candidates for my R[row][column]": every node it knows that
    /// shares exactly <paramref name="row"/> digits with the requester and has digit
    /// <paramref name="column"/> there (its own R[row][column] when it shares the prefix, and any
    /// other fitting node of its tables, itself included).
    /// </summary>
    public static ImmutableArray<NodeId> AnswerRoutingRepair(PastryRoutingState responder, NodeId requester, int row, int column)
    {
        ArgumentNullException.ThrowIfNull(responder);
        var space = responder.Space;
        var b = responder.DigitBits;
        return [.. responder.KnownNodes.Append(responder.Id)
            .Where(id => id != requester
                && space.SharedPrefixDigits(id, requester, b) == row
                && space.Digit(id, row, b) == column)];
    }

    /// <summary>Merges repair answers into the requester's state; known-dead nodes are skipped. Returns whether the slot is filled now.</summary>
    public static bool MergeRoutingRepair(PastryRoutingState state, int row, int column, IEnumerable<NodeId> answers, IReadOnlySet<NodeId>? dead = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.LearnAll(answers, dead);
        return state.RoutingTable.Get(row, column) is not null;
    }
}
