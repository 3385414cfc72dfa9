namespace P2POrleans.Chord;

/// <summary>
/// Where the Replicas - 1 extra copies of an owner's keys go (issue 9, replica placement awareness).
/// Plain Chord (ToN section 5.2) uses the first successors. With placement awareness the walk of
/// the successor list is greedy: take the next successor whose host (silo) does not hold a copy
/// yet; when the list has fewer distinct hosts than copies, fill up with the first successors not
/// taken. Why one host crash cannot lose a key: the first pick is the first successor that is not
/// on the owner's host. If the owner's host crashes, every peer of that host dies with it, so the
/// first live successor of the owner (the key's new owner once the ring repairs) is exactly that
/// first pick, and it holds the copy. If another host crashes, the owner survives. Either way a
/// copy is left at the peer that owns the key after repair, as long as the successor list reaches
/// a second host and Replicas is at least 2.
/// </summary>
public static class ReplicaPlacement
{
    /// <summary>The first copies - 1 successors (plain Chord).</summary>
    public static IReadOnlyList<T> Plain<T>(IReadOnlyList<T> successors, int copies) =>
        successors.Take(Math.Max(0, copies - 1)).ToList();

    /// <summary>
    /// Greedy spread: successors (in ring order, the owner excluded) whose hosts differ from the
    /// owner's and from each other's, then plain successors to make up copies - 1 when hosts run out.
    /// </summary>
    public static IReadOnlyList<T> Spread<T, THost>(THost ownerHost, IReadOnlyList<T> successors, Func<T, THost> hostOf, int copies)
        where T : notnull
        where THost : notnull
    {
        var wanted = Math.Max(0, copies - 1);
        var chosen = new List<T>(wanted);
        if (wanted == 0)
        {
            return chosen;
        }

        var covered = new HashSet<THost> { ownerHost };
        foreach (var s in successors)
        {
            if (chosen.Count == wanted)
            {
                return chosen;
            }

            if (covered.Add(hostOf(s)))
            {
                chosen.Add(s);
            }
        }

        // Fewer distinct hosts than copies: the remaining copies go to the first successors not taken.
        foreach (var s in successors)
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            if (!chosen.Contains(s))
            {
                chosen.Add(s);
            }
        }

        return chosen;
    }
}
