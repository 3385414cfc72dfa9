using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// One step of find_successor at node n (Chord figure 5, with the successor list of ToN section 5.2):
/// if key is in (n, successor] the successor owns it; otherwise forward to the closest node preceding
/// key among the fingers and the successor list. Nodes in exclude (known dead) are skipped.
/// </summary>
public static class ChordRouter
{
    public static ChordNextStep NextStep(
        IdSpace space,
        NodeId self,
        NodeId key,
        SuccessorList successors,
        FingerTable fingers,
        IReadOnlySet<NodeId>? exclude = null)
    {
        if (key == self)
        {
            // A peer owns its own id; without this the query would go round the ring to come back.
            return new ChordNextStep(true, self, successors.Nodes.Where(s => exclude is null || !exclude.Contains(s)).ToList());
        }

        var live = successors.Nodes.Where(s => exclude is null || !exclude.Contains(s)).ToList();
        var successor = live.Count > 0 ? live[0] : self;
        if (successor == self || space.InOpenClosed(key, self, successor))
        {
            return new ChordNextStep(true, successor, live);
        }

        var best = fingers.ClosestPreceding(key, exclude);
        foreach (var s in live)
        {
            // The successor list can hold nodes closer to key than any finger (ToN section 5.2).
            if (space.InOpenOpen(s, self, key) && (best is null || space.InOpenOpen(s, best.Value, key)))
            {
                best = s;
            }
        }

        return best is { } next ? new ChordNextStep(false, next, live) : new ChordNextStep(true, successor, live);
    }
}
