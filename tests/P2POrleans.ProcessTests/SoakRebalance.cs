namespace P2POrleans.ProcessTests;

/// <summary>
/// Which peers leave again when the rolling soak's newcomers landed on a silo over its share (docs/cluster.md,
/// "Rolling restarts"): peers drawn at random from that silo's newcomers (from all its peers only when it has too
/// few), never chosen by id. Choosing the highest ids, as the soak did, emptied the top of each surviving silo's
/// id range every cycle, so the restarted silo's peers gathered in runs around the ring: a key whose owner and
/// next six successors all sat on one silo had all its spread copies there (18 keys lost in one small run).
/// </summary>
public static class SoakRebalance
{
    /// <summary>The peers to leave so that no silo holds more than <paramref name="share"/>.</summary>
    /// <param name="hostOf">The silo of a member; members of unknown silo are left alone.</param>
    /// <param name="newcomers">The peers that joined in this rebalance: they leave first.</param>
    public static List<TPeer> Surplus<TPeer, THost>(IReadOnlyList<TPeer> members, Func<TPeer, THost?> hostOf, int share, IReadOnlySet<TPeer> newcomers, Random random)
        where TPeer : notnull
        where THost : class
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(hostOf);
        ArgumentNullException.ThrowIfNull(newcomers);
        ArgumentNullException.ThrowIfNull(random);
        var surplus = new List<TPeer>();
        foreach (var silo in members.Where(m => hostOf(m) is not null).GroupBy(m => hostOf(m)!))
        {
            var over = silo.Count() - share;
            if (over <= 0)
            {
                continue;
            }

            var fresh = silo.Where(newcomers.Contains).ToList();
            var pool = fresh.Count >= over ? fresh : silo.ToList();
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pool));
            surplus.AddRange(pool.Take(over));
        }

        return surplus;
    }
}
