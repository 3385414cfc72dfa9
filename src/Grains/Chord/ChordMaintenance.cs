using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The periodic rules of Chord figure 7 with the successor list of ToN section 5.2, run by one
/// node once per round (docs/chord.md, maintenance): check_predecessor, stabilize, fix_fingers, then
/// replication and the cleanup of copies held elsewhere (<see cref="ChordReplication"/>). Every rule re-checks <see cref="ChordNode.IsMember"/>
/// after each message it sends: the peer may have crashed or left meanwhile.
/// </summary>
public static class ChordMaintenance
{
    /// <summary>One round of a node's periodic work.</summary>
    public static async Task RoundAsync(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        await CheckPredecessorAsync(node);
        await StabilizeAsync(node);
        if (node.DroppedSuccessor && node.IsMember)
        {
            node.DroppedSuccessor = false;
            await TellPredecessorsOfDroppedAsync(node);
        }

        await FixFingersAsync(node);
        await ChordReplication.ReplicateAsync(node);
        await ChordReplication.DropCopiesHeldElsewhereAsync(node);
        P2PTelemetry.StateEntries.Record(node.Fingers.RunCount + node.Successors.Nodes.Count + 1,
            new KeyValuePair<string, object?>("p2p.protocol", ChordParameters.Name));
    }

    /// <summary>check_predecessor (Chord figure 7): forget a predecessor that does not answer.</summary>
    public static async Task CheckPredecessorAsync(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);

        // A durable predecessor whose silo merely did not answer is kept: it comes back with its state.
        if (node.Predecessor is { } pred && pred != node.Self && (await node.Calls.CallAsync(pred, "check_predecessor", p => p.PingAsync())).Forgotten)
        {
            if (node.IsMember && node.Predecessor == pred)
            {
                node.Predecessor = null;
                node.ReplicatedVersion = -1;
            }
        }
    }

    /// <summary>
    /// stabilize (Chord figure 7) with the successor list of ToN section 5.2: ask the first live
    /// successor for its predecessor x; adopt x if it lies between us; copy its successor list; notify it.
    /// </summary>
    public static async Task StabilizeAsync(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var self = node.Self;
        Queue<NodeId>? members = null;
        while (node.IsMember)
        {
            var successor = node.Successors.First;
            if (successor == self)
            {
                // Alone, or every successor died: the closest peer known ahead becomes the successor.
                if (await ClosestKnownAheadAsync(node, members ??= new()) is not { } ahead)
                {
                    return;
                }

                node.Successors.Replace([ahead]);
                continue;
            }

            var asked = await node.Calls.CallAsync(successor, "get_neighbours", p => p.GetNeighboursAsync());
            if (!asked.Ok)
            {
                if (!asked.Forgotten)
                {
                    // Durable: the successor's silo is going down and the peer will come back with its
                    // state; keep the list as it is and try again next round.
                    return;
                }

                continue;
            }

            var info = asked.Value!;
            if (info.Predecessor is { } x && x != self && node.Space.InOpenOpen(x, self, successor))
            {
                // x is dead when it does not answer: keep the successor we have.
                var closer = await node.Calls.CallAsync(x, "get_neighbours", p => p.GetNeighboursAsync());
                if (closer.Ok)
                {
                    successor = x;
                    info = closer.Value!;
                }
            }

            if (!node.IsMember)
            {
                return;
            }

            var before = node.Successors.Nodes.ToList();
            var targetsBefore = node.Parameters.SpreadReplicas ? node.ReplicaTargets() : [];
            node.Successors.Rebuild(successor, info.Successors);
            node.Fingers.Set(0, successor);
            if (node.Parameters.SpreadReplicas)
            {
                node.LearnSilos(successor, info);
                if (!targetsBefore.SequenceEqual(node.ReplicaTargets()))
                {
                    node.ReplicatedVersion = -1;
                }
            }

            if (!before.SequenceEqual(node.Successors.Nodes))
            {
                node.ReplicatedVersion = -1;
            }

            var notified = await node.Calls.CallAsync(successor, "notify", p => p.NotifyAsync(self));
            if (notified.Ok)
            {
                node.Take(notified.Value!.Keys);
                return;
            }

            if (!notified.Forgotten)
            {
                return;
            }
        }
    }

    /// <summary>
    /// With spread replicas, a peer that dropped dead successors has the peers behind it that still list them
    /// learn it now, not a round per hop later. Stabilize copies the successor's list (ToN section 5.2), so
    /// after a silo crash the k-th peer behind a dead run keeps the dead peers, and lacks the live ones after
    /// them, for k rounds; an owner whose list reaches another silo only past them keeps all its copies on its
    /// own silo meanwhile (docs/cluster.md, "Copies after a kill"). So, after our stabilize refreshed our list,
    /// we walk back from our predecessor, at most L - 1 peers, one after another, and ask each whose list past
    /// us differs from ours to stabilize now (it copies the list of the peer after it, just refreshed). A peer
    /// whose list agrees is passed, not an end: its own round may have refreshed it while the peers behind it
    /// still hold the old list (stopping there left 20 keys of one cycle in 1,200 on one silo, passing none).
    /// </summary>
    private static async Task TellPredecessorsOfDroppedAsync(ChordNode node)
    {
        var at = node.Predecessor;
        for (var hop = 1; hop < node.Parameters.Successors && node.IsMember && at is { } peer && peer != node.Self; hop++)
        {
            var asked = await node.Calls.CallAsync(peer, "get_neighbours", p => p.GetNeighboursAsync());
            if (!asked.Ok || !asked.Value!.Successors.Contains(node.Self))
            {
                return;
            }

            if (Stale(node, peer, asked.Value.Successors) && !await node.Calls.TryAsync(peer, "stabilize", p => p.StabilizeAsync(), nested: 3))
            {
                return;
            }

            at = asked.Value.Predecessor;
        }
    }

    /// <summary>
    /// Whether the list of <paramref name="peer"/>, behind us, differs past us from the start of ours (what its
    /// stabilize would copy): it still holds peers we dropped, or lacks the ones after them (a list that lost
    /// entries to forgets refills only from the peer after it, a hop a round too).
    /// </summary>
    private static bool Stale(ChordNode node, NodeId peer, IReadOnlyList<NodeId> theirs)
    {
        var at = 0;
        while (theirs[at] != node.Self)
        {
            at++;
        }

        var expected = node.Successors.Nodes.Where(s => s != peer).Take(node.Successors.Capacity - at - 1);
        return !theirs.Skip(at + 1).SequenceEqual(expected);
    }

    /// <summary>
    /// The successor of a peer whose whole successor list died (a silo crash takes a third of a 3-silo ring
    /// at once, and every successor of a few peers with it): the closest live finger, else the first of the members
    /// that follow it in the overlay's member list (<see cref="ChordHost.Members"/>: the peer joins again through
    /// the overlay's bootstrap, Chord section 4.4), never the predecessor. It is a live peer ahead of n, and stabilize walks back
    /// from it (x = successor.predecessor while x is in (n, successor)) to the true successor, whose notify
    /// then links n in (docs/chord.md, "A whole silo's peers at once"). The predecessor as fallback, as before,
    /// closed a loop of two beside the ring when it had lost its successors too and took n as its own; and a peer
    /// whose fingers and predecessor had all died stayed a ring of one no live peer pointed at. Stabilize
    /// follows the pointers there are: it never merges such loops into the ring.
    /// </summary>
    /// <param name="members">Members not tried yet in this stabilize; filled once, on the first call with no finger left.</param>
    private static async Task<NodeId?> ClosestKnownAheadAsync(ChordNode node, Queue<NodeId> members)
    {
        var self = node.Self;
        var finger = node.Fingers.Nodes.FirstOrDefault(f => f != self, self);
        if (finger != self)
        {
            return finger;
        }

        if (members.Count == 0)
        {
            var others = await node.MembersAsync();
            if (!node.IsMember)
            {
                return null;
            }

            foreach (var member in others.Where(m => m != self && m != node.Predecessor).OrderBy(m => node.Space.Distance(self, m)))
            {
                members.Enqueue(member);
            }

            // Asked once per stabilize: the queue then stays non-empty until each member was tried.
            members.Enqueue(self);
        }

        var next = members.Dequeue();
        return next == self ? null : next;
    }

    /// <summary>
    /// fix_fingers (Chord figure 7): refresh the next finger with a lookup of its start. Fingers whose
    /// start falls in (n, successor], or in (start, answer] of the lookup just made, are set without
    /// another lookup, so one round refreshes a whole run of the table and m = 160 costs about
    /// log2 N lookups per pass rather than 160.
    /// </summary>
    public static async Task FixFingersAsync(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var space = node.Space;
        var successor = node.Successors.First;
        var i = node.NextFinger;
        var passes = 0;
        while (passes < space.Bits && space.InOpenClosed(node.Fingers.Start(i), node.Self, successor))
        {
            node.Fingers.Set(i, successor);
            i = (i + 1) % space.Bits;
            passes++;
        }

        if (passes >= space.Bits)
        {
            node.NextFinger = 0;
            return;
        }

        var start = node.Fingers.Start(i);
        var result = await ChordLookup.IterativeAsync(node, start, node.Self, verifyOwner: false, traced: false);
        if (!node.IsMember)
        {
            return;
        }

        if (result.Success)
        {
            node.Fingers.Set(i, result.Owner);
            // (start, owner] is empty when the owner's id is the start itself, not the whole ring (which
            // is what the interval (a, a] means elsewhere): the next fingers then need their own lookups.
            var j = (i + 1) % space.Bits;
            while (j != 0 && result.Owner != start && space.InOpenClosed(node.Fingers.Start(j), start, result.Owner))
            {
                node.Fingers.Set(j, result.Owner);
                j = (j + 1) % space.Bits;
            }

            node.NextFinger = j;
        }
        else
        {
            node.NextFinger = (i + 1) % space.Bits;
        }
    }
}
