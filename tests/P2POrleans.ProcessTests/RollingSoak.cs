using System.Globalization;
using System.Collections.Concurrent;
using System.Diagnostics;
using P2POrleans.Chord;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.ProcessTests;

/// <summary>
/// The rolling-failure soak of docs/cluster.md ("Rolling restarts"): three Chord rings (durable with one
/// copy, volatile with spread replicas, volatile with plain replicas) on a 3-process Redis cluster; a
/// client reads and writes random keys of every ring without pause (each turn one get and one put per
/// ring: an overwrite of a key with its next write number, every fourth put a new key) while the silos
/// are killed (SIGKILL) and started again in turn, silo 2, 3, 1, 2, ... A read counts as found when it
/// answers the key's last acknowledged write or a later one. Each cycle: just before the kill, the plain
/// ring's holders of every key are read (a key all of whose copies sit on the victim will be lost), its
/// puts skipped from then until the kill is done and, after it, never made again to a key expected lost
/// (a put would store it anew on a live silo); the kill;
/// a barrier until membership declares the victim dead; the volatile rings are stepped until their ring
/// check is 100 % (a barrier, bounded; the rounds are reported); the silo is restarted (`scripts/cluster
/// restart`); the volatile rings get as many new peers as they lost and are stepped to 100 % again. At the end every key is read until its last acknowledged write is found
/// (stepping between passes, bounded): a key not found is lost, a key found older than that write lost an acknowledged write.
/// No timing is asserted: the barriers are membership, the script's "silo up" and the passes.
/// </summary>
/// <param name="rings">The rings read; the first is the durable one (never stepped, its peers come back), the others volatile.</param>
/// <param name="plain">The volatile ring with plain replicas, whose expected losses are counted.</param>
public sealed class RollingSoak(ProcessCluster cluster, IClusterClient client, IReadOnlyList<ChordRing> rings, ChordRing plain)
{
    // A barrier, not a fixed number of rounds: the volatile rings are stepped until the ring check says
    // every successor and predecessor is the ideal ring's (bounded; what it took is reported).
    private const int RepairBound = 80;
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(10);

    private readonly ConcurrentBag<(ChordRing Ring, double At, bool Write, bool Ok, double Ms)> _ops = [];
    private readonly SemaphoreSlim _plainWrites = new(1, 1);
    private readonly HashSet<SiloAddress> _killed = [];
    private SiloAddress? _down;
    private readonly HashSet<string> _expectedLost = [];
    private readonly Random _rebalanceRandom = new(7);

    // The volatile rings other than the plain one (spread replicas): where each key's copies were just before
    // each kill (silo index per copy), to say for a key lost at the end when its copies came to sit on one silo.
    private readonly Dictionary<string, List<string>> _history = new(StringComparer.Ordinal);

    // Plain ring: keys that will be found with an older write than their last acknowledged one (guarded by _expectedLost's lock).
    private readonly HashSet<string> _expectedStale = [];

    /// <summary>Times of the kills, seconds since the start (for the figure).</summary>
    public List<(double At, int Silo)> Kills { get; } = [];

    /// <summary>Each repair of a volatile ring: after which kill (1, 2, ...), after the kill or the joins, the rounds stepped, and whether its ring check reached 100 %.</summary>
    public List<(int Kill, string Ring, string After, int Rounds, bool Correct)> Repairs { get; } = [];

    /// <param name="cycles">Kill-restart cycles (silo 2, 3, 1, 2, ...).</param>
    /// <param name="period">Least time from one kill to the next (zero: the barriers alone pace the cycles).</param>
    public async Task<IReadOnlyList<RollingSoakReport>> RunAsync(int cycles, TimeSpan period, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadAndWriteWithoutPauseAsync(clock, stop.Token), CancellationToken.None);
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
            var (lost, stale) = await LostAtEndAsync(ring, cancellationToken);
            await ExplainLostAsync(ring, lost, stale);
            var ops = _ops.Where(r => r.Ring == ring).ToList();
            var reads = ops.Where(r => !r.Write).ToList();
            var writes = ops.Where(r => r.Write).ToList();
            var latencies = reads.Where(r => r.Ok).Select(r => r.Ms).ToList();
            var writeLatencies = writes.Where(r => r.Ok).Select(r => r.Ms).ToList();
            var perSecond = ops.GroupBy(r => (int)r.At).OrderBy(g => g.Key).Select(g => (g.Key, g.Count(), g.Count(r => r.Ok))).ToList();
            reports.Add(new RollingSoakReport(ring.Name, reads.Count, reads.Count(r => r.Ok),
                Percentile.NearestRank(latencies, 50), Percentile.NearestRank(latencies, 99),
                lost, ring == plain ? [.. _expectedLost.Order(StringComparer.Ordinal)] : [], perSecond)
            {
                ExpectedWritesLost = ring == plain ? [.. _expectedStale.Order(StringComparer.Ordinal)] : [],
                Writes = writes.Count,
                WritesAcked = writes.Count(w => w.Ok),
                WriteP50Ms = Percentile.NearestRank(writeLatencies, 50),
                WriteP99Ms = Percentile.NearestRank(writeLatencies, 99),
                Keys = ring.Acked.Count,
                WritesLost = stale,
            });
        }

        return reports;
    }

    private async Task CycleAsync(int victim, Stopwatch clock, CancellationToken cancellationToken)
    {
        var victimAddress = await AddressOfAsync(victim);

        // The plain ring's copies now: keys whose every holder is on the victim cannot survive it. Its
        // puts wait until the kill is done, so no copy is placed between this count and the kill.
        await _plainWrites.WaitAsync(cancellationToken);
        try
        {
            await CountAndKillAsync(victim, victimAddress, clock, cancellationToken);
        }
        finally
        {
            _plainWrites.Release();
        }

        await UntilAsync(async () => !(await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ReadBound, cancellationToken)).ContainsKey(victimAddress),
            $"silo {victim} still listed as active", cancellationToken);
        lock (_killed)
        {
            _down = null; // declared dead: a durable peer of the victim comes back on its next call
        }

        await RepairVolatileAsync("the kill", cancellationToken);
        await cluster.RestartAsync(victim, cancellationToken);

        // The volatile rings lost the victim's peers for good: newcomers join, and the restarted silo hosts
        // its share again (a third of the ring), as a restarted process would. Peers are placed at random,
        // so joining only as many as died would leave the killed silo short and pile the ring onto the
        // others: in steady state each kill would take half of the ring (and 30 of 45 peers in one run),
        // far from the one-silo-in-three this soak models. Newcomers that land on a silo over its share
        // leave again (graceful: keys to their successor) until every silo holds its share.
        foreach (var ring in rings.Where(r => r != rings[0]))
        {
            await RebalanceAsync(ring, cancellationToken);
        }

        await RepairVolatileAsync("the joins", cancellationToken);
    }

    /// <summary>Joins newcomers until the ring has its size again and no silo holds more than its share (bounded passes).</summary>
    private async Task RebalanceAsync(ChordRing ring, CancellationToken cancellationToken)
    {
        var share = (ring.Size + cluster.Silos - 1) / cluster.Silos;
        var joined = 0;
        var left = 0;
        var newcomers = new HashSet<NodeId>();
        for (var pass = 0; pass < 60; pass++)
        {
            await UntilAsync(async () =>
            {
                await ring.RefreshAsync();
                return true;
            }, $"ring {ring.Name} did not answer", cancellationToken);
            var missing = ring.Size - ring.Members.Count;
            if (missing > 0)
            {
                var before = ring.Members.ToHashSet();
                await ring.JoinAsync(missing, cancellationToken);
                newcomers.UnionWith(ring.Members.Where(m => !before.Contains(m)));
                joined += missing;
            }

            List<NodeId> surplus;
            lock (ring.HostOf)
            {
                surplus = SoakRebalance.Surplus(ring.Members, m => ring.HostOf.GetValueOrDefault(m), share, newcomers, _rebalanceRandom);
            }

            if (surplus.Count == 0 && missing <= 0)
            {
                break;
            }

            await ring.LeaveAsync(surplus);
            left += surplus.Count;
        }

        lock (ring.HostOf)
        {
            ChordProcessFixture.Measure($"kill {Kills.Count}: {ring.Name} rebalanced with {joined} joins and {left} leaves: "
                + string.Join(", ", ring.Members.Where(ring.HostOf.ContainsKey).GroupBy(m => cluster.IndexOf(ring.HostOf[m])).OrderBy(g => g.Key).Select(g => $"{g.Count()} on silo {g.Key}")));
        }
    }

    private async Task CountAndKillAsync(int victim, SiloAddress victimAddress, Stopwatch clock, CancellationToken cancellationToken)
    {
        // Every copy of the plain ring, with the write number its value carries: a key none of whose
        // copies is off the victim will be lost; a key whose copies off the victim are all older than its
        // last acknowledged write will be found with that older write (an acknowledged write lost).
        var holders = new Dictionary<string, List<(SiloAddress Silo, int Version)>>(StringComparer.Ordinal);
        var copies = 0;
        foreach (var m in Live(plain))
        {
            foreach (var item in await plain.Peer(m).GetItemsAsync())
            {
                copies++;
                var at = holders.TryGetValue(item.Key, out var list) ? list : holders[item.Key] = [];
                at.Add((plain.HostOf[m], ChordRing.VersionOf(item.Key, item.Value) ?? -1));
            }
        }

        lock (_expectedLost)
        {
            foreach (var (key, acked) in plain.Acked.Where(k => !_expectedLost.Contains(k.Key)))
            {
                var survivors = holders.TryGetValue(key, out var at) ? at.Where(h => !h.Silo.Equals(victimAddress)).ToList() : [];
                if (survivors.Count == 0)
                {
                    _expectedLost.Add(key);
                    _expectedStale.Remove(key);
                }
                else if (!_expectedStale.Contains(key) && survivors.All(h => h.Version < acked))
                {
                    _expectedStale.Add(key);
                }
            }
        }

        var live = Live(plain);
        ChordProcessFixture.Measure($"before killing silo {victim}: plain ring {live.Count} live peers ({string.Join(", ", live.GroupBy(m => cluster.IndexOf(plain.HostOf[m])).OrderBy(g => g.Key).Select(g => $"{g.Count()} on silo {g.Key}"))}), "
            + $"{holders.Count} keys held, {copies} copies on {holders.Values.Sum(h => h.Select(x => x.Silo).Distinct().Count())} (key, silo) pairs, {holders.Values.Count(h => h.Select(x => x.Silo).Distinct().Count() == 1)} keys on one silo; expected lost so far {_expectedLost.Count} keys and {_expectedStale.Count} acknowledged writes");
        await RecordHoldersAsync(victim);
        Kills.Add((clock.Elapsed.TotalSeconds, victim));
        lock (_killed)
        {
            _killed.Add(victimAddress);
            _down = victimAddress;
        }

        await cluster.KillAsync(victim, cancellationToken);
    }

    /// <summary>
    /// Steps every volatile ring one round at a time until its ring check (IChordOverlayGrain.CheckAsync:
    /// every successor and predecessor that of the ideal ring of its live members) is 100 %, at most
    /// <see cref="RepairBound"/> rounds, then two more rounds for the owners to copy their ranges to the
    /// places the correct pointers give (replication runs after stabilize in a round). Reports the rounds.
    /// </summary>
    private async Task RepairVolatileAsync(string after, CancellationToken cancellationToken)
    {
        foreach (var ring in rings.Where(r => r != rings[0]))
        {
            var rounds = 0;
            ChordCheckReport? check = null;
            while (rounds < RepairBound && check is not { RingCorrect: true })
            {
                await UntilAsync(async () =>
                {
                    await ring.Registry.StepAsync(1);
                    return true;
                }, $"ring {ring.Name} could not be stepped", cancellationToken);
                rounds++;
                await UntilAsync(async () =>
                {
                    check = await client.GetGrain<IChordOverlayGrain>(ring.Name).CheckAsync();
                    return true;
                }, $"ring {ring.Name} could not be checked", cancellationToken);
            }

            await UntilAsync(async () =>
            {
                await ring.Registry.StepAsync(2);
                return true;
            }, $"ring {ring.Name} could not be stepped", cancellationToken);
            Repairs.Add((Kills.Count, ring.Name, after, rounds, check!.RingCorrect));
            ChordProcessFixture.Measure(string.Create(CultureInfo.InvariantCulture, $"kill {Kills.Count}, after {after}: {ring.Name} ring ")
                + (check.RingCorrect
                    ? string.Create(CultureInfo.InvariantCulture, $"correct after {rounds} rounds ({check.Peers} peers)")
                    : string.Create(CultureInfo.InvariantCulture, $"NOT correct after {rounds} rounds: successors {check.SuccessorsCorrect:P1}, predecessors {check.PredecessorsCorrect:P1} ({check.Peers} peers)")));
        }
    }

    /// <summary>
    /// Each turn, for every ring: a get of a random key acknowledged so far and a put (an overwrite with
    /// the key's next write number; every fourth put a new key), each from a random member not on a
    /// silo killed so far, until stopped.
    /// </summary>
    private async Task ReadAndWriteWithoutPauseAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var random = new Random(5);
        var nextVersion = new Dictionary<(ChordRing, string), int>();
        var puts = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var ring in rings)
            {
                var initiators = Live(ring);
                if (initiators.Count == 0)
                {
                    continue;
                }

                var keys = ring.Acked.Keys.ToList();
                var key = keys[random.Next(keys.Count)];
                var at = clock.Elapsed.TotalSeconds;
                var sw = Stopwatch.StartNew();
                var found = await ring.GetsAsync(initiators[random.Next(initiators.Count)], key);
                _ops.Add((ring, at, false, found, sw.Elapsed.TotalMilliseconds));

                var target = puts++ % 4 == 0 ? $"new-{puts}" : keys[random.Next(keys.Count)];
                var version = nextVersion.GetValueOrDefault((ring, target), ring.Acked.GetValueOrDefault(target)) + 1;
                await WriteAsync(ring, initiators[random.Next(initiators.Count)], target, version, clock);
                nextVersion[(ring, target)] = version;
            }
        }
    }

    /// <summary>One put; on the plain ring skipped while a kill is being prepared and never made to a key expected lost.</summary>
    private async Task WriteAsync(ChordRing ring, NodeId from, string key, int version, Stopwatch clock)
    {
        var gated = ring == plain;
        if (gated && !_plainWrites.Wait(0))
        {
            return;
        }

        try
        {
            lock (_expectedLost)
            {
                if (gated && (_expectedLost.Contains(key) || _expectedStale.Contains(key)))
                {
                    return;
                }
            }

            var at = clock.Elapsed.TotalSeconds;
            var sw = Stopwatch.StartNew();
            var stored = await ring.WriteAsync(from, key, version);
            _ops.Add((ring, at, true, stored is not null, sw.Elapsed.TotalMilliseconds));
        }
        finally
        {
            if (gated)
            {
                _plainWrites.Release();
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

    /// <summary>
    /// Keys whose last acknowledged write is not found after settling: passes over them, the volatile
    /// rings stepped between passes (bounded). Lost: no value at all; the second list: a value older
    /// than the last acknowledged write (an acknowledged write lost).
    /// </summary>
    private async Task<(List<string> Lost, List<string> Stale)> LostAtEndAsync(ChordRing ring, CancellationToken cancellationToken)
    {
        List<string> missing = [.. ring.Acked.Keys];
        var stale = new ConcurrentDictionary<string, bool>();
        for (var pass = 0; pass < 10 && missing.Count > 0; pass++)
        {
            var initiators = Live(ring);
            var still = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(missing.Select((k, i) => (k, i)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (x, _) =>
            {
                var version = await ring.ReadAsync(initiators[x.i % initiators.Count], x.k);
                if (version is not { } v || v < ring.Acked[x.k])
                {
                    still.Add(x.k);
                    stale[x.k] = version is not null;
                }
                else
                {
                    stale.TryRemove(x.k, out bool _);
                }
            });
            missing = [.. still];
            if (missing.Count > 0 && ring != rings[0])
            {
                await ring.Registry.StepAsync(1);
            }
        }

        return ([.. missing.Where(k => !stale[k]).Order(StringComparer.Ordinal)], [.. missing.Where(k => stale[k]).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Whether the keys lost were really gone or only not found: every live peer's keys are read, and
    /// a lost key still held somewhere is counted (and every volatile ring's check is printed: key ids at
    /// their owner); for the plain ring, the keys lost that were not expected are named with the silos of
    /// the peers that last acknowledged them (a measurement line, no assertion).
    /// </summary>
    private async Task ExplainLostAsync(ChordRing ring, List<string> lost, List<string> stale)
    {
        // Every volatile ring's check, keys lost or not: a key id held by live peers but not by its owner
        // (distinct key ids less those at their owner) is one kill closer to being lost (docs/cluster.md).
        if (ring != rings[0] || lost.Count > 0 || stale.Count > 0)
        {
            var check = await client.GetGrain<IChordOverlayGrain>(ring.Name).CheckAsync();
            ChordProcessFixture.Measure(string.Create(CultureInfo.InvariantCulture, $"{ring.Name} ring check at the end: {check.Peers} peers, successors correct {check.SuccessorsCorrect:P1}, ")
                + string.Create(CultureInfo.InvariantCulture, $"predecessors {check.PredecessorsCorrect:P1}, successor lists {check.SuccessorListsCorrect:P1}; {check.KeysAtOwner} of {check.DistinctKeys} key ids at their owner"));
        }

        if (lost.Count == 0 && stale.Count == 0)
        {
            return;
        }

        var space = (await ring.Registry.GetAsync())!.Parameters.Space;
        var held = new HashSet<NodeId>();
        var copies = 0;
        foreach (var m in Live(ring))
        {
            try
            {
                var ids = await ring.Peer(m).GetKeyIdsAsync();
                copies += ids.Count;
                held.UnionWith(ids);
            }
            catch (Exception e) when (Unreachable.Is(e) || e is OrleansException or TimeoutException)
            {
            }
        }

        List<string> unexpected;
        lock (_expectedLost)
        {
            unexpected = ring == plain ? [.. lost.Where(k => !_expectedLost.Contains(k)), .. stale.Where(k => !_expectedStale.Contains(k))] : [.. lost, .. stale];
        }

        string Where(string key)
        {
            lock (ring.HostOf)
            {
                return ring.StoredAt.TryGetValue(key, out var at)
                    ? string.Join('/', at.Select(p => ring.HostOf.TryGetValue(p, out var h) ? $"silo {cluster.IndexOf(h)}{(_killed.Contains(h) ? " (killed)" : "")}" : "unknown"))
                    : "never acknowledged";
            }
        }

        ChordProcessFixture.Measure($"{ring.Name} at the end: {Live(ring).Count} live peers hold {copies} copies of {held.Count} key ids; "
            + $"keys lost {lost.Count}, of which still held by a live peer {lost.Count(k => held.Contains(space.Hash(k)))}; writes lost {stale.Count}; "
            + $"lost and not expected {unexpected.Count}: {string.Join(", ", unexpected.Take(12).Select(k => $"{k} (last acked at {Where(k)})"))}");
        lock (_history)
        {
            foreach (var key in unexpected.Take(12).Where(k => _history.ContainsKey(ring.Name + "/" + k)))
            {
                ChordProcessFixture.Measure($"{ring.Name} {key}, silos of its copies before each kill: {string.Join("; ", _history[ring.Name + "/" + key].TakeLast(6))}");
            }
        }
    }

    /// <summary>
    /// For the volatile rings but the plain one: the silos of every key's copies before the kill of <paramref name="victim"/>,
    /// kept for the explanation of a key lost at the end; printed as the keys with all copies on one silo (the kill
    /// of that silo would lose them) and on exactly two (docs/cluster.md, "Copies after a kill").
    /// </summary>
    private async Task RecordHoldersAsync(int victim)
    {
        foreach (var ring in rings.Skip(1).Where(r => r != plain))
        {
            var silos = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var m in Live(ring))
            {
                IReadOnlyList<StoredItem> items;
                try
                {
                    items = await ring.Peer(m).GetItemsAsync().WaitAsync(ReadBound);
                }
                catch (Exception e) when (Unreachable.Is(e) || e is OrleansException or TimeoutException)
                {
                    continue;
                }

                int silo;
                lock (ring.HostOf)
                {
                    silo = ring.HostOf.TryGetValue(m, out var h) ? cluster.IndexOf(h) : 0;
                }

                foreach (var item in items)
                {
                    (silos.TryGetValue(item.Key, out var at) ? at : silos[item.Key] = []).Add(silo);
                }
            }

            var on = silos.Values.Select(at => at.Distinct().Count()).ToList();
            ChordProcessFixture.Measure($"before killing silo {victim}: {ring.Name} ring {silos.Count} keys held, {on.Count(n => n == 1)} with all copies on one silo, {on.Count(n => n == 2)} on exactly two");
            lock (_history)
            {
                foreach (var (key, at) in silos)
                {
                    (_history.TryGetValue(ring.Name + "/" + key, out var h) ? h : _history[ring.Name + "/" + key] = [])
                        .Add($"kill {Kills.Count + 1} (silo {victim}): {string.Join(',', at.Order())}");
                }
            }
        }
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
