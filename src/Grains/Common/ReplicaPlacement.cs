namespace P2POrleans.Common;

/// <summary>
/// Where the extra copies of a key go (replica placement awareness), for every overlay
/// that replicates: Chord (the successors, ToN section 5.2), Pastry (the numerically closest of the
/// leaf set, PAST) and Kelips (members of the file's affinity group). The candidates come in the
/// order that decides who owns the key once the owner is gone (Chord: ring order after the owner;
/// Pastry: numeric distance to the key). Plain placement takes the first copies - 1. With placement
/// awareness the walk is greedy: take the next candidate whose host (silo) holds no copy yet; when
/// fewer distinct hosts than copies are known, fill up with the first candidates not taken.
/// Why one host crash cannot lose a key: the first pick is the first candidate not on the owner's
/// host. If the owner's host crashes, every peer of that host dies with it, so the first live
/// candidate (the key's new owner once the overlay repairs) is exactly that first pick, and it holds
/// the copy. If another host crashes, the owner survives. Either way a copy is left at the peer that
/// owns the key after repair, as long as the candidates reach a second host and copies is at least 2.
/// </summary>
public static class ReplicaPlacement
{
    /// <summary>The first copies - 1 candidates (plain placement).</summary>
    public static IReadOnlyList<T> Plain<T>(IReadOnlyList<T> candidates, int copies) =>
        candidates.Take(Math.Max(0, copies - 1)).ToList();

    /// <summary>
    /// Greedy spread: candidates (in order, the owner excluded) whose hosts differ from the owner's
    /// and from each other's, then plain candidates to make up copies - 1 when hosts run out.
    /// </summary>
    public static IReadOnlyList<T> Spread<T, THost>(THost ownerHost, IReadOnlyList<T> candidates, Func<T, THost> hostOf, int copies)
        where T : notnull
        where THost : notnull =>
        Walk(ownerHost, candidates, c => (true, hostOf(c)), copies);

    /// <summary>
    /// Greedy spread while some hosts are not known yet (<paramref name="hostOf"/> answers null: a
    /// successor whose silo no stabilize reported so far). Counting an unknown host as a new one (as
    /// <see cref="Spread{T, THost}"/> does with a made-up name) can put every copy on the owner's host
    /// when the unknown successors share it, and that host's crash loses the key (docs/chord.md,
    /// replication). So an unknown candidate gets a copy without
    /// covering a host, and the walk goes on until copies - 1 known hosts other than the owner's are
    /// covered; hosts running out, the first candidates not taken make up copies - 1. The first
    /// candidate off the owner's host is then always chosen (it is unknown, or the first of its known
    /// host), which is what keeps a copy when the owner's host dies. With every host known this is
    /// exactly <see cref="Spread{T, THost}"/>.
    /// </summary>
    public static IReadOnlyList<T> SpreadOverKnownHosts<T, THost>(THost ownerHost, IReadOnlyList<T> candidates, Func<T, THost?> hostOf, int copies)
        where T : notnull
        where THost : class =>
        Walk(ownerHost, candidates, c => hostOf(c) is { } host ? (true, host) : (false, default!), copies);

    /// <summary>
    /// The one greedy walk of both spreads: a candidate whose host is unknown, or known and not covered
    /// yet, gets a copy, until copies - 1 hosts other than the owner's are covered. With every host
    /// known, the chosen count is the covered count less the owner's, so the walk also ends at
    /// copies - 1 chosen: <see cref="Spread{T, THost}"/>'s rule.
    /// </summary>
    private static List<T> Walk<T, THost>(THost ownerHost, IReadOnlyList<T> candidates, Func<T, (bool Known, THost Host)> hostOf, int copies)
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
        foreach (var c in candidates)
        {
            if (covered.Count == wanted + 1)
            {
                break;
            }

            var (known, host) = hostOf(c);
            if (!known || covered.Add(host))
            {
                chosen.Add(c);
            }
        }

        // Fewer distinct hosts than copies: the remaining copies go to the first candidates not taken.
        return FillUp(chosen, candidates, wanted);
    }

    /// <summary>Adds the first candidates not chosen yet until <paramref name="wanted"/> are chosen.</summary>
    private static List<T> FillUp<T>(List<T> chosen, IReadOnlyList<T> candidates, int wanted)
        where T : notnull
    {
        foreach (var c in candidates)
        {
            if (chosen.Count >= wanted)
            {
                break;
            }

            if (!chosen.Contains(c))
            {
                chosen.Add(c);
            }
        }

        return chosen;
    }
}