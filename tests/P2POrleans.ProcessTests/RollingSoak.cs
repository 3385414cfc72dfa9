using System.Collections.Concurrent;
using System.Diagnostics;
using P2POrleans.Chord;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.ProcessTests;

/// <summary>
/// The rolling-failure soak of docs/cluster.md ("Rolling restarts"): three Chord rings (durable with one
/// copy, volatile with spread replicas, volatile with plain replicas) on a 3-process Redis cluster; a
/// reader reads random keys of every ring without pause while the silos are killed (SIGKILL) and
/// started again in turn, silo 2, 3, 1, 2, ... Each cycle: just before the kill, the plain ring's
/// holders of every key are read (a key all of whose copies sit on the victim will be lost); the kill;
/// a barrier until membership declares the victim dead; the volatile rings are stepped (repair); the
/// silo is restarted (`scripts/cluster restart`); the volatile rings get as many new peers as they lost
/// and are stepped again. At the end every key is read until found (stepping between passes, bounded).
/// No timing is asserted: the barriers are membership, the script's "silo up" and the passes.
/// </summary>
/// <param name="rings">The rings read; the first is the durable one (never stepped, its peers come back), the others volatile.</param>
/// <param name="plain">The volatile ring with plain replicas, whose expected losses are counted.</param>
public sealed class RollingSoak(ProcessCluster cluster, IClusterClient client, IReadOnlyList<ChordRing> rings, ChordRing plain)
{
    private const int RepairRounds = 6;
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(10);

    private readonly ConcurrentBag<(ChordRing Ring, double At, bool Found, double Ms)> _reads = [];
    private readonly HashSet<SiloAddress> _killed = [];
    private SiloAddress? _down;
    private readonly HashSet<string> _expectedLost = [];

    /// <summary>Times of the kills, seconds since the start (for the figure).</summary>
    public List<(double At, int Silo)> Kills { get; } = [];

    /// <param name="cycles">Kill-restart cycles (silo 2, 3, 1, 2, ...).</param>
    /// <param name="period">Least time from one kill to the next (zero: the barriers alone pace the cycles).</param>
    public async Task<IReadOnlyList<RollingSoakReport>> RunAsync(int cycles, TimeSpan period, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadWithoutPauseAsync(clock, stop.Token), CancellationToken.None);
        try
        {
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                var victim = 1 + ((cycle + 1) % cluster.Silos);
                var next = TimeSpan.FromTicks(period.Ticks * cycle);
                if (clock.Elapsed < next)
                {
                    await Task.Delay(next - clock.Elapsed, cancellationToken);
                }

                await CycleAsync(victim, clock, cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }

        var reports = new List<RollingSoakReport>();
        foreach (var ring in rings)
        {
            var lost = await LostAtEndAsync(ring, cancellationToken);
            var reads = _reads.Where(r => r.Ring == ring).ToList();
            var latencies = reads.Where(r => r.Found).Select(r => r.Ms).ToList();
            var perSecond = reads.GroupBy(r => (int)r.At).OrderBy(g => g.Key).Select(g => (g.Key, g.Count(), g.Count(r => r.Found))).ToList();
            reports.Add(new RollingSoakReport(ring.Name, reads.Count, reads.Count(r => r.Found),
                Percentile.NearestRank(latencies, 50), Percentile.NearestRank(latencies, 99),
                lost, ring == plain ? [.. _expectedLost.Order(StringComparer.Ordinal)] : [], perSecond));
        }

        return reports;
    }

    private async Task CycleAsync(int victim, Stopwatch clock, CancellationToken cancellationToken)
    {
        var victimAddress = await AddressOfAsync(victim);

        // The plain ring's copies now: keys whose every holder is on the victim cannot survive it.
        var holders = new Dictionary<NodeId, HashSet<SiloAddress>>();
        var copies = 0;
        foreach (var m in Live(plain))
        {
            foreach (var id in await plain.Peer(m).GetKeyIdsAsync())
            {
                copies++;
                (holders.TryGetValue(id, out var set) ? set : holders[id] = []).Add(plain.HostOf[m]);
            }
        }

        var space = (await plain.Registry.GetAsync())!.Parameters.Space;
        foreach (var key in plain.StoredAt.Keys.Where(k => !_expectedLost.Contains(k)))
        {
            if (!holders.TryGetValue(space.Hash(key), out var at) || at.All(h => h.Equals(victimAddress)))
            {
                _expectedLost.Add(key);
            }
        }

        var live = Live(plain);
        ChordProcessFixture.Measure($"before killing silo {victim}: plain ring {live.Count} live peers ({string.Join(", ", live.GroupBy(m => cluster.IndexOf(plain.HostOf[m])).OrderBy(g => g.Key).Select(g => $"{g.Count()} on silo {g.Key}"))}), "
            + $"{holders.Count} key ids held, {copies} copies on {holders.Values.Sum(h => h.Count)} (key, silo) pairs, {holders.Values.Count(h => h.Count == 1)} keys on one silo; expected lost so far {_expectedLost.Count}");
        Kills.Add((clock.Elapsed.TotalSeconds, victim));
        lock (_killed)
        {
            _killed.Add(victimAddress);
            _down = victimAddress;
        }

        await cluster.KillAsync(victim, cancellationToken);
        await UntilAsync(async () => !(await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ReadBound, cancellationToken)).ContainsKey(victimAddress),
            $"silo {victim} still listed as active", cancellationToken);
        lock (_killed)
        {
            _down = null; // declared dead: a durable peer of the victim comes back on its next call
        }

        await StepVolatileAsync(cancellationToken);
        await cluster.RestartAsync(victim, cancellationToken);

        // The volatile rings lost the victim's peers for good: as many newcomers join (placed at random, the restarted silo too).
        foreach (var ring in rings.Where(r => r != rings[0]))
        {
            await UntilAsync(async () =>
            {
                await ring.RefreshAsync();
                return true;
            }, $"ring {ring.Name} did not answer", cancellationToken);
            var missing = ring.Size - ring.Members.Count;
            if (missing > 0)
            {
                await ring.JoinAsync(missing, cancellationToken);
            }
        }

        await StepVolatileAsync(cancellationToken);
    }

    private async Task StepVolatileAsync(CancellationToken cancellationToken)
    {
        foreach (var ring in rings.Where(r => r != rings[0]))
        {
            await UntilAsync(async () =>
            {
                await ring.Registry.StepAsync(RepairRounds);
                return true;
            }, $"ring {ring.Name} could not be stepped", cancellationToken);
        }
    }

    /// <summary>Random keys of every ring in turn, each from a random member not on a silo killed so far, until stopped.</summary>
    private async Task ReadWithoutPauseAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var random = new Random(5);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var ring in rings)
            {
                var initiators = Live(ring);
                if (initiators.Count == 0)
                {
                    continue;
                }

                var keys = ring.StoredAt.Keys.ToList();
                var key = keys[random.Next(keys.Count)];
                var from = initiators[random.Next(initiators.Count)];
                var at = clock.Elapsed.TotalSeconds;
                var sw = Stopwatch.StartNew();
                var found = await ring.GetsAsync(from, key);
                _reads.Add((ring, at, found, sw.Elapsed.TotalMilliseconds));
            }
        }
    }

    /// <summary>
    /// Initiators: for the durable ring every member but those of a silo killed and not yet declared dead
    /// (afterwards they come back elsewhere); for a volatile ring the members of silos never killed.
    /// </summary>
    private List<NodeId> Live(ChordRing ring)
    {
        lock (_killed)
        {
            lock (ring.HostOf)
            {
                return ring == rings[0]
                    ? ring.Members.Where(m => !ring.HostOf[m].Equals(_down)).ToList()
                    : ring.Members.Where(m => ring.HostOf.TryGetValue(m, out var h) && !_killed.Contains(h)).ToList();
            }
        }
    }

    /// <summary>Keys not found after settling: passes over the missing keys, the volatile rings stepped between passes (bounded).</summary>
    private async Task<List<string>> LostAtEndAsync(ChordRing ring, CancellationToken cancellationToken)
    {
        List<string> missing = [.. ring.StoredAt.Keys];
        for (var pass = 0; pass < 10 && missing.Count > 0; pass++)
        {
            var initiators = Live(ring);
            var still = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(missing.Select((k, i) => (k, i)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (x, _) =>
            {
                if (!await ring.GetsAsync(initiators[x.i % initiators.Count], x.k))
                {
                    still.Add(x.k);
                }
            });
            missing = [.. still];
            if (missing.Count > 0 && ring != rings[0])
            {
                await ring.Registry.StepAsync(1);
            }
        }

        return [.. missing.Order(StringComparer.Ordinal)];
    }

    private async Task<SiloAddress> AddressOfAsync(int index)
    {
        SiloAddress? found = null;
        await UntilAsync(async () =>
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ReadBound);
            found = hosts.Keys.FirstOrDefault(s => cluster.IndexOf(s) == index);
            return found is not null;
        }, $"silo {index} not active", CancellationToken.None);
        return found!;
    }

    /// <summary>Barrier: polls until the condition holds, a failed call counting as "not yet" (bounded to 3 minutes).</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string failure, CancellationToken cancellationToken)
    {
        var bound = Stopwatch.StartNew();
        while (bound.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (Unreachable.Is(e) || e is OrleansException or TimeoutException)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        Assert.Fail(failure);
    }
}
