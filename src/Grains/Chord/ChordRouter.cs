using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// One step of find_successor at node n (Chord figure 5, with the successor list of ToN section 5.2):
/// if key is in (n, successor] the successor owns it; otherwise forward to the closest node preceding
/// key among the fingers and the successor list. Nodes in exclude (known dead) are skipped.
/// </summary>
public static class ChordRouter
{
    private static readonly NodeId[] None = [];

    /// <summary>
    /// The step; the fallback successors travel only with an owner answer (the lookup then pings
    /// them, docs/chord.md), so a forwarding step allocates nothing but its answer.
    /// </summary>
    public static ChordNextStep NextStep(
        IdSpace space,
        NodeId self,
        NodeId key,
        SuccessorList successors,
        FingerTable fingers,
        IReadOnlyCollection<NodeId>? exclude = null)
    {
        var nodes = successors.Nodes;
        if (key == self)
        {
            // A peer owns its own id; without this the query would go round the ring to come back.
            return new ChordNextStep(true, self, Live(nodes, exclude));
        }

        var successor = self;
        foreach (var s in nodes)
        {
            if (!Excluded(s, exclude))
            {
                successor = s;
                break;
            }
        }

        if (successor == self || space.InOpenClosed(key, self, successor))
        {
            return new ChordNextStep(true, successor, Live(nodes, exclude));
        }

        var best = fingers.ClosestPreceding(key, exclude);
        foreach (var s in nodes)
        {
            // The successor list can hold nodes closer to key than any finger (ToN section 5.2).
            if (!Excluded(s, exclude) && space.InOpenOpen(s, self, key) && (best is null || space.InOpenOpen(s, best.Value, key)))
            {
                best = s;
            }
        }

        return best is { } next ? new ChordNextStep(false, next, None) : new ChordNextStep(true, successor, Live(nodes, exclude));
    }

    private static bool Excluded(NodeId node, IReadOnlyCollection<NodeId>? exclude) => exclude is not null && exclude.Contains(node);

    private static List<NodeId> Live(IReadOnlyList<NodeId> nodes, IReadOnlyCollection<NodeId>? exclude)
    {
        var live = new List<NodeId>(nodes.Count);
        foreach (var s in nodes)
        {
            if (!Excluded(s, exclude))
            {
                live.Add(s);
            }
        }

        return live;
    }
}
