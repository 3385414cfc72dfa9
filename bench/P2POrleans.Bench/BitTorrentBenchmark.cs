using System.Diagnostics;
using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.Bench;

/// <summary>
/// The BitTorrent measurements of docs/bittorrent.md, all on simulated time: completion-time distribution of a
/// flash crowd with rarest first and with random piece selection, distinct pieces in the swarm over
/// time, free riders against contributors with and without tit for tat, and the wall-clock seconds
/// and memory of simulating a 100-peer, 100 MB swarm.
/// </summary>
public sealed class BitTorrentBenchmark : IMacroBenchmark
{
    public string Name => "bittorrent";

    public string Description => "completion times (rarest first vs random), free riders, simulation cost of a 100-peer 100 MB swarm";

    /// <summary>The cost swarm is a throughput run: with the workstation collector its pauses left one of two cores idle (docs/bench.md).</summary>
    public bool ServerGc => true;

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        // P2P_BT_PARTS=policy,riders,cost,private selects parts (default: all).
        var parts = (Environment.GetEnvironmentVariable("P2P_BT_PARTS") ?? "policy,riders,cost,private").Split(',');

        // The policy comparison is seed-limited on purpose (seed upload = a leecher's): that is where piece choice matters.
        var flash = new SwarmParameters { Peers = 100, Seeds = 1, FileSize = 32L << 20, PieceLength = 256 * 1024, Seed = 7 };
        if (parts.Contains("policy"))
        {
            await PolicyAsync(host, report, flash with { Policy = PiecePolicy.RarestFirst });
            await PolicyAsync(host, report, flash with { Policy = PiecePolicy.Random });
        }

        if (parts.Contains("riders"))
        {
            // With one seed the run is seed-limited and everyone finishes when the last pieces leave
            // the seed; with 4 seeds the leechers' uploads are the bottleneck, where tit for tat bites.
            foreach (var seeds in new[] { 1, 4 })
            {
                var riders = flash with { FreeRiderFraction = 0.2, Seeds = seeds };
                await FreeRidersAsync(host, report, riders);
                await FreeRidersAsync(host, report, riders with { Choking = false });
            }
        }

        var cost = new SwarmParameters { Peers = 100, Seeds = 1, FileSize = 100L << 20, Seed = 1 };
        // The shared-storage swarm three times in this process: the first run pays for JIT compilation, the second
        // still for tiering (perf: the JIT took 5% of its samples), the third is the steady state.
        if (parts.Contains("cost"))
        {
            using var threads = new OnePoolThreadPerCore();
            for (var repeat = 1; repeat <= 3; repeat++)
            {
                await CostAsync(host, report, cost, repeat, threads.MaxWorkers);
            }
        }

        if (parts.Contains("private"))
        {
            // Every member keeps its own copy, in its own (unlinked) temporary file: 100 copies on disk, not in memory.
            using var threads = new OnePoolThreadPerCore();
            await CostAsync(host, report, cost with { SharedStorage = false }, repeat: 1, threads.MaxWorkers);
            await CostAsync(host, report, cost with { SharedStorage = false }, repeat: 2, threads.MaxWorkers);
        }
    }

    private static async Task<(SwarmProgress Progress, IReadOnlyList<SwarmSample> History, double Wall)> RunSwarmAsync(BenchHost host, string name, SwarmParameters parameters)
    {
        var swarm = host.Client.GetGrain<ISwarmGrain>(name);
        await CreateAsync(swarm, parameters);
        var wall = Stopwatch.StartNew();
        var progress = await StepUntilDoneAsync(swarm);

        var seconds = wall.Elapsed.TotalSeconds;
        var history = await swarm.GetHistoryAsync();
        await host.Client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
        return (progress, history, seconds);
    }

    /// <summary>
    /// Creates the swarm. On a busy machine generating, hashing and seeding 100 MB can outlast the
    /// client's 10 s response timeout; the grain goes on, so wait until it answers a step.
    /// </summary>
    private static async Task CreateAsync(ISwarmGrain swarm, SwarmParameters parameters)
    {
        try
        {
            await swarm.CreateAsync(parameters);
        }
        catch (TimeoutException)
        {
            while (true)
            {
                try
                {
                    await swarm.GetProgressAsync();
                    return;
                }
                catch (Exception e) when (e is TimeoutException or P2PException)
                {
                    await Task.Delay(500);
                }
            }
        }
    }

    /// <summary>Steps 2 ticks per call (a call must finish within the response timeout) until done.</summary>
    private static async Task<SwarmProgress> StepUntilDoneAsync(ISwarmGrain swarm, Action? between = null)
    {
        var progress = await swarm.GetProgressAsync();
        while (!progress.Done)
        {
            try
            {
                progress = await swarm.StepAsync(2);
            }
            catch (P2PException e) when (e.Message.Contains("busy", StringComparison.Ordinal) || e.Message.Contains("already running", StringComparison.Ordinal))
            {
                await Task.Delay(200); // creation still under way
            }

            between?.Invoke();
        }

        return progress;
    }

    private static Dictionary<string, object> Describe(SwarmParameters p) => new()
    {
        ["peers"] = p.Peers,
        ["seeds"] = p.Seeds,
        ["MiB"] = p.FileSize >> 20,
        ["piece_KiB"] = p.PieceLength / 1024,
        ["policy"] = p.Policy.ToString(),
        ["choking"] = p.Choking,
        ["free_riders"] = p.FreeRiders,
        ["up_KiB_s"] = p.UploadRate / 1024,
        ["down_KiB_s"] = p.DownloadRate / 1024,
        ["storage"] = p.SharedStorage ? "shared" : "private",
    };

    private static async Task PolicyAsync(BenchHost host, BenchReport report, SwarmParameters parameters)
    {
        var (progress, history, wall) = await RunSwarmAsync(host, $"bench-bt-{parameters.Policy}".ToLowerInvariant(), parameters);
        var p = Describe(parameters);
        var times = progress.Completions.Select(c => c.DownloadSeconds).Order().ToList();
        var (mean, p1, p50, p99, max) = Stats.Summary(times);
        report.Add("bt-completion", "completed leechers", times.Count, "peers", p);
        report.Add("bt-completion", "mean completion time", mean, "s (sim)", p);
        report.Add("bt-completion", "fastest (1st pct) completion", p1, "s (sim)", p);
        report.Add("bt-completion", "median completion time", p50, "s (sim)", p);
        report.Add("bt-completion", "90th percentile completion", Stats.Percentile(times, 90), "s (sim)", p);
        report.Add("bt-completion", "99th percentile completion", p99, "s (sim)", p);
        report.Add("bt-completion", "last completion", max, "s (sim)", p);
        report.Add("bt-completion", "lower bound (file x peers / all upload)", parameters.FileSize * (double)parameters.Peers / ((parameters.Peers + parameters.Seeds) * (double)parameters.UploadRate), "s (sim)", p);
        report.Add("bt-completion", "wall clock", wall, "s", p);
        var all = progress.Pieces;
        var full = history.FirstOrDefault(h => h.DistinctPieces == all);
        report.Add("bt-distinct", "time until every piece is in the leechers' hands too", history.FirstOrDefault(h => h.MinReplication >= 2)?.Time ?? double.NaN, "s (sim)", p);
        report.Add("bt-distinct", "time until the swarm holds all pieces", full?.Time ?? double.NaN, "s (sim)", p);
        foreach (var t in new[] { 10.0, 20, 40, 60, 80, 100, 150, 200 })
        {
            if (history.LastOrDefault(h => h.Time <= t) is { } at)
            {
                report.Add("bt-distinct", $"t={t:F0}s min / mean replication", at.MinReplication, $"peers (mean {at.MeanReplication:F1})", p);
            }
        }
    }

    private static async Task FreeRidersAsync(BenchHost host, BenchReport report, SwarmParameters parameters)
    {
        var (progress, _, _) = await RunSwarmAsync(host, $"bench-bt-riders-{parameters.Choking}".ToLowerInvariant(), parameters);
        var p = Describe(parameters);
        var contributors = progress.Completions.Where(c => c.Behaviour == PeerBehaviour.Leecher).Select(c => c.DownloadSeconds).ToList();
        var riders = progress.Completions.Where(c => c.Behaviour == PeerBehaviour.FreeRider).Select(c => c.DownloadSeconds).ToList();
        report.Add("bt-free-riders", "contributors: mean completion", contributors.Average(), "s (sim)", p);
        report.Add("bt-free-riders", "free riders: mean completion", riders.Average(), "s (sim)", p);
        report.Add("bt-free-riders", "free riders / contributors", riders.Average() / contributors.Average(), "x", p);
        report.Add("bt-free-riders", "contributors: median completion", Stats.Percentile(contributors.Order().ToList(), 50), "s (sim)", p);
        report.Add("bt-free-riders", "free riders: median completion", Stats.Percentile(riders.Order().ToList(), 50), "s (sim)", p);
    }

    private static async Task CostAsync(BenchHost host, BenchReport report, SwarmParameters parameters, int repeat, int poolThreads)
    {
        // The hashing limit, measured in this process just before the swarm: SHA-1 over piece-sized
        // buffers on one core, the way every leecher verifies each piece it completes.
        var (sha1, sha1Cpu) = Sha1BytesPerSecond(parameters.PieceLength, threads: 1);
        // The same loop on every core at once: what the machine can really hash (two vCPUs need not hash twice as fast as one).
        var (sha1All, _) = Sha1BytesPerSecond(parameters.PieceLength, threads: Environment.ProcessorCount);
        var before = BenchHost.HeapBytes();
        var rssBefore = ProcessMemory.ResetPeakResidentBytes();
        var swarm = host.Client.GetGrain<ISwarmGrain>("bench-bt-cost");
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var pauseStart = GC.GetTotalPauseDuration();
        var gcStart = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var jitStart = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
        var wall = Stopwatch.StartNew();
        await CreateAsync(swarm, parameters);
        var created = wall.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuCreated = process.TotalProcessorTime;
        var peak = 0L;
        var progress = await StepUntilDoneAsync(swarm, () => peak = Math.Max(peak, GC.GetTotalMemory(false)));

        var seconds = wall.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuRun = (process.TotalProcessorTime - cpuCreated).TotalSeconds;
        var cpuAll = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var peakRss = ProcessMemory.PeakResidentBytes();
        var during = BenchHost.HeapBytes();
        var p = Describe(parameters);
        p["run"] = repeat;
        p["gc"] = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";
        p["pool_threads"] = poolThreads;
        report.Add("bt-cost", "wall clock: create + run to completion", seconds, "s", p);
        report.Add("bt-cost", "wall clock: create (generate + hash + seed)", created, "s", p);
        report.Add("bt-cost", "simulated time to completion", progress.Time, "s (sim)", p);
        report.Add("bt-cost", "simulated seconds per wall second", progress.Time / (seconds - created), "x", p);
        report.Add("bt-cost", "bytes moved between peers", (double)parameters.FileSize * parameters.Peers / (1 << 30), "GiB", p);
        report.Add("bt-cost", "managed heap after the run (swarm alive)", (during - before) / (1024.0 * 1024), "MiB", p);
        report.Add("bt-cost", "peak managed heap seen between steps", peak / (1024.0 * 1024), "MiB", p);
        report.Add("bt-cost", "process working set", Environment.WorkingSet / (1024.0 * 1024), "MiB", p);
        if (peakRss is { } rss)
        {
            report.Add("bt-cost", "peak resident set (VmHWM) during create + run", rss / (1024.0 * 1024), "MiB", p);
            report.Add("bt-cost", "resident set before the swarm", (rssBefore ?? 0) / (1024.0 * 1024), "MiB", p);
        }

        report.Add("bt-cost", "CPU seconds of the process: create + run", cpuAll, "s", p);
        report.Add("bt-cost", "CPU seconds of the process: run", cpuRun, "s", p);
        report.Add("bt-cost", "GC pauses during create + run", (GC.GetTotalPauseDuration() - pauseStart).TotalSeconds, "s", p);
        // Run 1 compiles everything; later runs should compile next to nothing (tiering done), or they pay for it in wall time.
        report.Add("bt-cost", "JIT compilation during create + run", (System.Runtime.JitInfo.GetCompilationTime() - jitStart.Item1).TotalSeconds, $"s ({System.Runtime.JitInfo.GetCompiledMethodCount() - jitStart.Item2} methods)", p);
        report.Add("bt-cost", "GC collections during create + run (gen 0 / 1 / 2)", GC.CollectionCount(0) - gcStart.Item1, $"gen 0 (gen 1: {GC.CollectionCount(1) - gcStart.Item2}, gen 2: {GC.CollectionCount(2) - gcStart.Item3})", p);

        // Hashing efficiency: bytes verified per wall second of the run, against what every core of
        // this machine could hash (each leecher verifies every piece of the file once).
        var verified = (double)parameters.FileSize * parameters.Peers;
        var run = seconds - created;
        report.Add("bt-cost", "single-core SHA-1 rate (same process, piece-sized buffers)", sha1 / 1e9, "GB/s", p);
        report.Add("bt-cost", "bytes verified per wall second of the run", verified / run / 1e9, "GB/s", p);
        report.Add("bt-cost", $"hashing efficiency: verified rate / ({Environment.ProcessorCount} cores x single-core SHA-1)", verified / run / (Environment.ProcessorCount * sha1), "x", p);
        report.Add("bt-cost", $"SHA-1 rate of {Environment.ProcessorCount} threads at once (same process, same loop)", sha1All / 1e9, "GB/s", p);
        report.Add("bt-cost", $"SHA-1 scaling: {Environment.ProcessorCount} threads / 1 thread", sha1All / sha1, "x", p);
        report.Add("bt-cost", $"attainable hashing efficiency: verified rate / SHA-1 rate of {Environment.ProcessorCount} threads", verified / run / sha1All, "x", p);

        // The same against the CPU time the process got: what a loaded machine cannot hide. Hashing
        // alone would take verified / SHA-1 seconds of one core; the rest is the simulation around it.
        report.Add("bt-cost", "single-core SHA-1 rate per CPU second (same loop)", sha1Cpu / 1e9, "GB/s", p);
        report.Add("bt-cost", "hashing share of the run's CPU time: (verified / SHA-1 per CPU second) / CPU seconds", verified / sha1Cpu / cpuRun, "x", p);
        await host.Client.GetGrain<IOverlayRegistryGrain>("bench-bt-cost").DeleteAsync();
    }

    /// <summary>
    /// SHA-1 over piece-sized buffers, each of <paramref name="threads"/> threads hashing its own buffer for one second:
    /// bytes per wall second of all of them, and per second of the process's CPU time.
    /// </summary>
    private static (double Wall, double Cpu) Sha1BytesPerSecond(int pieceLength, int threads)
    {
        var process = Process.GetCurrentProcess();
        using var warm = new Barrier(threads + 1);
        var hashed = new long[threads];
        var seconds = new double[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var buffer = new byte[pieceLength];
            new Random(1 + t).NextBytes(buffer);
            Span<byte> hash = stackalloc byte[20];
            for (var i = 0; i < 64; i++)
            {
                System.Security.Cryptography.SHA1.HashData(buffer, hash); // warm up
            }

            warm.SignalAndWait(); // the CPU clock starts once every thread is warm
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(1))
            {
                System.Security.Cryptography.SHA1.HashData(buffer, hash);
                hashed[t] += buffer.Length;
            }

            seconds[t] = clock.Elapsed.TotalSeconds;
        })).ToList();
        workers.ForEach(w => w.Start());
        warm.SignalAndWait();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        workers.ForEach(w => w.Join());
        process.Refresh();
        var wall = Enumerable.Range(0, threads).Sum(t => hashed[t] / seconds[t]);
        return (wall, hashed.Sum() / (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
