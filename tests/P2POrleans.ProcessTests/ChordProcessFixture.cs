using System.Diagnostics;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.ProcessTests;

/// <summary>
/// Three silo processes with Redis clustering and Redis storage, two Chord rings of 300 peers and
/// 1,000 keys each (durable with 1 replica; volatile with 3 spread replicas), and one SIGKILL of a
/// silo during lookups, shared by both tests (a cluster start and a failure detection each is most
/// of the time these tests take).
/// </summary>
public sealed class ChordProcessFixture : IAsyncLifetime
{
    public const int Peers = 300;
    public const int Keys = 1000;

    private readonly SemaphoreSlim _killGate = new(1, 1);
    private KillReport? _kill;

    public ProcessCluster Cluster { get; private set; } = null!;

    public ClusterConnection Connection { get; private set; } = null!;

    public IClusterClient Client => Connection.Client;

    public ChordRing Durable { get; private set; } = null!;

    public ChordRing Spread { get; private set; } = null!;

    private IEnumerable<ChordRing> Rings => [Durable, Spread];

    public sealed record KillReport(int Victim, SiloAddress VictimAddress, TimeSpan Detected, IReadOnlyDictionary<string, TimeSpan?> FirstCorrectLookup);

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Cluster = await ProcessCluster.UpAsync(3, ct);
        try
        {
            Connection = await Cluster.ConnectAsync(ct);
            Durable = await ChordRing.BuildAsync(Client, "durable", Peers, Keys, ["--durable", "--replicas", "1"], ct);
            Spread = await ChordRing.BuildAsync(Client, "spread", Peers, Keys, ["--spread-replicas", "--replicas", "3"], ct);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Kills (once) the silo hosting the most peers among those hosting neither registry, while
    /// lookups of keys owned by its peers run; returns once membership has declared it dead and a
    /// lookup of such a key answered correctly in each ring (or a bounded wait passed).
    /// </summary>
    public async Task<KillReport> KillOnceAsync()
    {
        await _killGate.WaitAsync();
        try
        {
            return _kill ??= await KillAsync();
        }
        finally
        {
            _killGate.Release();
        }
    }

    private async Task<KillReport> KillAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var management = Client.GetGrain<IManagementGrain>(0);
        var registryHosts = new List<SiloAddress>();
        foreach (var ring in Rings)
        {
            registryHosts.Add(await ring.Registry.GetHostAsync());
        }

        var victimAddress = (await management.GetHosts(onlyActive: true)).Keys
            .Where(s => !registryHosts.Contains(s))
            .OrderByDescending(s => Rings.Sum(r => r.HostOf.Values.Count(h => h.Equals(s))))
            .First();
        var victim = Cluster.IndexOf(victimAddress);
        Assert.NotEqual(0, victim);

        // Lookups of keys whose owner lives on the victim, from peers that do not, before and after the kill.
        var clock = new Stopwatch();
        var first = new System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan?>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var killed = new TaskCompletionSource();
        var loops = Rings.Select(ring => Task.Run(async () =>
        {
            var keys = ring.StoredAt.Where(kv => ring.HostOf[kv.Value[0]].Equals(victimAddress)).Select(kv => kv.Key).ToList();
            var initiators = ring.Members.Where(m => !ring.HostOf[m].Equals(victimAddress)).ToList();
            first[ring.Name] = null;
            for (var i = 0; keys.Count > 0 && !stop.IsCancellationRequested; i++)
            {
                var ok = await ring.GetsAsync(initiators[i % initiators.Count], keys[i % keys.Count]);
                if (ok && killed.Task.IsCompleted)
                {
                    first[ring.Name] = clock.Elapsed;
                    return;
                }
            }
        }, CancellationToken.None)).ToList();

        clock.Start();
        await Cluster.KillAsync(victim, ct);
        killed.SetResult();

        // Barrier: the cluster has noticed when no active silo lists the victim any more.
        // Until then a call may itself be routed through the dead silo (its directory partition) and
        // fail: that is an answer of "not yet", not a test failure. Bounded so a stuck cluster fails.
        var deadline = Stopwatch.StartNew();
        while (!await DeclaredDeadAsync(management, victimAddress))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), $"silo {victim} still listed as active 3 minutes after SIGKILL");
            await Task.Delay(100, ct);
        }

        var detected = clock.Elapsed;

        // The volatile ring repairs only when stepped: one round at a time while its lookups go on. The
        // durable ring is not stepped: its peers come back with their state on their next call.
        var stepper = Task.Run(async () =>
        {
            for (var r = 0; Spread is not null && r < 40 && !loops[1].IsCompleted && !stop.IsCancellationRequested; r++)
            {
                try
                {
                    await Spread.Registry.StepAsync(1);
                }
                catch (P2PException e)
                {
                    Measure($"stepping the volatile ring failed: {e.Message}");
                    return;
                }
            }
        }, CancellationToken.None);
        var bounded = Task.WhenAll(loops);
        await Task.WhenAny(bounded, Task.Delay(TimeSpan.FromSeconds(60), ct));
        await stop.CancelAsync();
        await bounded;
        await stepper;
        var report = new KillReport(victim, victimAddress, detected, first);
        Measure($"killed silo {victim} ({victimAddress}) hosting " + string.Join(" and ", Rings.Select(r => $"{r.HostOf.Values.Count(h => h.Equals(victimAddress))} {r.Name} peers")) + "; "
            + $"membership declared it dead after {detected.TotalSeconds:F1} s; first correct lookup of a key owned there: "
            + string.Join(", ", first.Select(kv => $"{kv.Key} {(kv.Value is { } t ? $"{t.TotalSeconds:F1} s" : "none while waiting")}")));
        return report;
    }

    private static async Task<bool> DeclaredDeadAsync(IManagementGrain management, SiloAddress silo)
    {
        try
        {
            // The client's response timeout is long (30 min, for whole-overlay calls): bound each poll.
            return !(await management.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(10))).ContainsKey(silo);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Measured numbers go to the test output and, when P2P_MEASURE_FILE is set, to that file.</summary>
    public static void Measure(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("P2P_MEASURE_FILE") is { Length: > 0 } file)
        {
            File.AppendAllText(file, $"{DateTimeOffset.Now:u} {line}{Environment.NewLine}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        _killGate.Dispose();
    }
}
