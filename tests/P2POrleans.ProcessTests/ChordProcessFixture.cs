using System.Diagnostics;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.ProcessTests;

/// <summary>
/// Three silo processes with Redis clustering and Redis storage, two Chord rings of 300 peers and
/// 1,000 keys each (durable with 1 replica; volatile with 3 spread replicas), and one SIGKILL of the
/// silo hosting the durable ring's registry during lookups, with a `p2p repl` process connected
/// before the kill that reads 300 keys right after it: shared by the tests of this collection (a
/// cluster start and a failure detection each is most of the time they take).
/// </summary>
public sealed class ChordProcessFixture : IAsyncLifetime
{
    public const int Peers = 300;
    public const int Keys = 1000;

    /// <summary>Gets of the durable ring in the first pass after the kill (the scenario of docs/cluster.md).</summary>
    public const int FirstPassGets = 300;

    private readonly SemaphoreSlim _killGate = new(1, 1);
    private KillReport? _kill;

    public ProcessCluster Cluster { get; private set; } = null!;

    public ClusterConnection Connection { get; private set; } = null!;

    public IClusterClient Client => Connection.Client;

    public ChordRing Durable { get; private set; } = null!;

    public ChordRing Spread { get; private set; } = null!;

    private IEnumerable<ChordRing> Rings => [Durable, Spread];

    public sealed record KillReport(int Victim, SiloAddress VictimAddress, TimeSpan Detected, IReadOnlyDictionary<string, TimeSpan?> FirstCorrectLookup, FirstPass FirstPass);

    /// <summary>What the console process printed for the gets it was given right after the kill.</summary>
    public sealed record FirstPass(int Found, int Answers, IReadOnlyList<string> Errors, TimeSpan Took, int ExitCode);

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
    /// Kills (once) the silo hosting the durable ring's registry (the grain every console command used
    /// to go through first), while lookups of keys owned by its peers run and a console process reads
    /// keys; returns once membership has declared it dead, the console has read its keys, and a lookup
    /// of a key owned on the victim answered correctly in each ring (or a bounded wait passed).
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
        var victimAddress = await Durable.Registry.GetHostAsync();
        var victim = Cluster.IndexOf(victimAddress);
        Assert.NotEqual(0, victim);

        // The console, connected before the kill, so that its first get starts right after it.
        await using var console = CliProcess.Start("--clustering", "redis", "--redis-connection", Cluster.Settings.RedisConnection!, "repl");
        await console.WriteLineAsync("list");
        await console.WaitForOutputAsync(o => o.Contains("durable", StringComparison.Ordinal), "answer to `list`", TimeSpan.FromMinutes(2));

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
        var firstPass = Task.Run(() => FirstPassAsync(console), CancellationToken.None);

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
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // Its registry may have lived on the victim: the next round reaches its new activation.
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }, CancellationToken.None);
        var bounded = Task.WhenAll(loops);
        await Task.WhenAny(bounded, Task.Delay(TimeSpan.FromSeconds(60), ct));
        await stop.CancelAsync();
        await bounded;
        await stepper;
        var pass = await firstPass;
        var report = new KillReport(victim, victimAddress, detected, first, pass);
        Measure($"first pass after the kill: {pass.Found} of {FirstPassGets} gets found the value ({pass.Answers} answers, {pass.Errors.Count} errors) in {pass.Took.TotalSeconds:F1} s"
            + (pass.Errors.Count > 0 ? $"; e.g. {pass.Errors[0]}" : ""));
        Measure($"killed silo {victim} ({victimAddress}) hosting " + string.Join(" and ", Rings.Select(r => $"{r.HostOf.Values.Count(h => h.Equals(victimAddress))} {r.Name} peers")) + "; "
            + $"membership declared it dead after {detected.TotalSeconds:F1} s; first correct lookup of a key owned there: "
            + string.Join(", ", first.Select(kv => $"{kv.Key} {(kv.Value is { } t ? $"{t.TotalSeconds:F1} s" : "none while waiting")}")));
        return report;
    }

    /// <summary>Feeds the console the gets of the first pass and reads its answers (one JSON object per get).</summary>
    private static async Task<FirstPass> FirstPassAsync(CliProcess console)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < FirstPassGets; i++)
        {
            await console.WriteLineAsync($"chord get durable key-{i} --json");
        }

        await console.WriteLineAsync("exit");
        var code = await console.ExitCodeAsync(TimeSpan.FromMinutes(5));
        var took = clock.Elapsed;
        var found = 0;
        var answers = 0;
        foreach (var block in System.Text.RegularExpressions.Regex.Split(console.Output, "(?m)^p2p> .*$"))
        {
            if (block.Trim() is not { Length: > 0 } json || !json.StartsWith('{'))
            {
                continue;
            }

            using var doc = System.Text.Json.JsonDocument.Parse(json);
            answers++;
            var key = doc.RootElement.GetProperty("key").GetString()!;
            found += doc.RootElement.GetProperty("value").GetString() == ChordRing.ValueOf(key) ? 1 : 0;
        }

        var errors = console.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new FirstPass(found, answers, errors, took, code);
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
