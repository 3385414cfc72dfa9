using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A node's arrival (Chord figure 6 and section 4.4; docs/chord.md, joins): find the successor
/// through a bootstrap peer, take its successor list, notify it at once (it hands over our keys),
/// get our predecessor to adopt us, and fill the distinct fingers.
/// </summary>
public static class ChordJoin
{
    /// <summary>join(n'): joins the ring <paramref name="bootstrap"/> belongs to; throws <see cref="P2PException"/> when it cannot.</summary>
    public static async Task JoinAsync(ChordNode node, NodeId bootstrap)
    {
        ArgumentNullException.ThrowIfNull(node);

        // successor := n'.find_successor(n) (Chord figure 6), driven iteratively from here.
        var found = await ChordLookup.IterativeAsync(node, node.Self, bootstrap, verifyOwner: true, traced: false);
        if (!found.Success)
        {
            throw new P2PException($"join failed: {found.Error}");
        }

        var successor = found.Owner;
        var neighbours = await node.Calls.CallAsync(successor, null, p => p.GetNeighboursAsync());
        if (!neighbours.Ok)
        {
            throw new P2PException($"join failed: the successor {node.Space.Format(successor)} gave no neighbours ({Unreachable.Describe(neighbours.Fault, node.Calls.Timeout)})");
        }

        node.Successors.Rebuild(successor, neighbours.Value!.Successors);
        node.Fingers.Set(0, successor);
        if (node.Parameters.SpreadReplicas)
        {
            node.LearnSilos(successor, neighbours.Value);
        }

        // Notify the successor at once: it hands over the keys in (its old predecessor, n] and tells
        // us that predecessor, which we ask to stabilize so it adopts us. The paper leaves both to the
        // next stabilization rounds; doing them eagerly keeps sequential joins correct (docs/chord.md).
        var notified = await node.Calls.CallAsync(successor, null, p => p.NotifyAsync(node.Self));
        if (!notified.Ok)
        {
            throw new P2PException($"join failed: the successor {node.Space.Format(successor)} did not take the notify ({Unreachable.Describe(notified.Fault, node.Calls.Timeout)})");
        }

        var reply = notified.Value!;
        node.Take(reply.Keys);

        // The stabilize asked of another peer makes up to three calls of its own (its successor's
        // neighbours, a closer one's, the notify).
        if (reply.PreviousPredecessor is { } previous && previous != node.Self)
        {
            node.Predecessor = previous;
            if (await node.Calls.TryAsync(previous, "stabilize", p => p.StabilizeAsync(), nested: 3) && node.Parameters.SpreadReplicas)
            {
                await TellPredecessorsAsync(node, previous);
            }
        }
        else
        {
            // The successor had no predecessor (it was alone, or lost it): its own stabilize notifies us.
            await node.Calls.TryAsync(successor, "stabilize", p => p.StabilizeAsync(), nested: 3);
        }

        // init_finger_table: fill the distinct fingers now, O(log^2 N) messages (Chord section 4.4).
        for (var pass = 0; pass < node.Space.Bits && node.IsMember; pass++)
        {
            var before = node.NextFinger;
            await ChordMaintenance.FixFingersAsync(node);
            if (node.NextFinger <= before)
            {
                break;
            }
        }
    }

    /// <summary>
    /// With spread replicas, the peers further back that list us learn of us now, not a round per hop
    /// later. Stabilize copies the successor's list (ToN section 5.2), so a newcomer reaches the list of
    /// its k-th predecessor k rounds after it joined, and an owner spreads its copies over the silos its
    /// list shows: after a silo restarts, its newcomers are in no list yet, and each owner's third copy
    /// stays on a silo that holds another one (measured in memory: 100-240 of 600 keys on two silos when
    /// the ring is correct again, 4-9 rounds until none; `ChordSpreadChurnTests`). So the newcomer walks
    /// back from the predecessor that adopted it and asks each peer before it to stabilize now (the
    /// message the join already sends its predecessor), while the last one asked lists it: at most L - 1
    /// peers, each three or four messages, made by the newcomer one after another.
    /// </summary>
    private static async Task TellPredecessorsAsync(ChordNode node, NodeId previous)
    {
        var told = previous;
        for (var hop = 1; hop < node.Parameters.Successors && node.IsMember; hop++)
        {
            var asked = await node.Calls.CallAsync(told, "get_neighbours", p => p.GetNeighboursAsync());
            if (!asked.Ok || !asked.Value!.Successors.Contains(node.Self) || asked.Value.Predecessor is not { } before || before == node.Self)
            {
                return;
            }

            if (!await node.Calls.TryAsync(before, "stabilize", p => p.StabilizeAsync(), nested: 3))
            {
                return;
            }

            told = before;
        }
    }

    /// <summary>
    /// A graceful leave (Chord section 4.4 / ToN 5.3): what the leaving node tells its neighbours,
    /// taken before it stops (its keys go to the successor; successor and predecessor are linked to
    /// each other, so the ring is correct without waiting for stabilization).
    /// </summary>
    public static ChordFarewell Farewell(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var predecessor = node.Predecessor;
        return new ChordFarewell(
            node.Self,
            node.Successors.First,
            predecessor,
            node.Store.Items.ToList(),
            node.Successors.Nodes.Where(s => s != predecessor).ToList());
    }
}
