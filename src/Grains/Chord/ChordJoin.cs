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
            await node.Calls.TryAsync(previous, "stabilize", p => p.StabilizeAsync(), nested: 3);
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
