namespace P2POrleans.FastTrack;

/// <summary>
/// A joining peer picks the supernode closest to it by round-trip time. The RTT is injected (the
/// network model, or a ping); null means unreachable. Full supernodes can be excluded. Ties go to
/// the earlier candidate, so the choice is deterministic.
/// </summary>
public static class SupernodeSelector
{
    public static bool TryChooseClosest<T>(
        IEnumerable<T> supernodes, Func<T, TimeSpan?> rtt, out T chosen, Func<T, bool>? acceptsChildren = null)
    {
        ArgumentNullException.ThrowIfNull(supernodes);
        ArgumentNullException.ThrowIfNull(rtt);
        chosen = default!;
        var best = TimeSpan.MaxValue;
        var found = false;
        foreach (var candidate in supernodes)
        {
            if (acceptsChildren is not null && !acceptsChildren(candidate))
            {
                continue;
            }

            if (rtt(candidate) is { } time && (!found || time < best))
            {
                (chosen, best, found) = (candidate, time, true);
            }
        }

        return found;
    }
}
