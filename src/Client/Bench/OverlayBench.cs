using System.Diagnostics;
using System.Runtime.InteropServices;
using P2POrleans.Client.Structured;
using P2POrleans.Common;

namespace P2POrleans.Client.Bench;

/// <summary>
/// `p2p bench`: in one process, the raw grain-call baseline, then lookups per second of each
/// structured overlay at each size, reported as lookups/s x mean hops / raw calls/s (docs/bench.md).
/// The ratio says what fraction of the silo's bare call rate the overlay turns into useful hops.
/// The raw rate drifts during a run (it grew 2.3-2.6x over one on this machine as the runtime warmed
/// up), so the baseline is first measured until two consecutive runs agree within
/// <see cref="WarmTolerance"/>, and each overlay's ratio uses the raw rate measured right before and
/// right after its own timed lookups (interleaved), not a rate from another part of the run.
/// </summary>
public static class OverlayBench
{
    private const int BaselineTargets = 10_000;
    private const int Batch = 10_000;

    /// <summary>Two consecutive baseline runs closer than this (relative) end the warm-up.</summary>
    public const double WarmTolerance = 0.05;

    private const int MaxWarmRuns = 12;

    private const int MaxEmptyActivations = 20_000;
    private const int ActivationBatch = 1_000;
    private const long EmptyActivationKeys = 1_000_000_000;
    private static long _activationKeys;

    /// <param name="leaveLastOverlay">
    /// The silo stops with this process right after the run: the last overlay is not deleted. Deleting it
    /// stops its peers one by one (10^6 grain calls and deactivations, about 30 s), and the process's resident
    /// set grew by 8% while it did (docs/bench.md, "10^6 Chord peers: memory through the whole process").
    /// </param>
    public static async Task<BenchRun> RunAsync(IClusterClient client, BenchOptions options, bool siloInProcess, Action<double, string> progress, CancellationToken cancellationToken, bool leaveLastOverlay = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        var overlays = options.Overlays.SelectMany(name => Variants(StructuredAdapters.All.Single(o => o.Protocol == name), options)).ToList();
        var steps = 2 + (overlays.Count * options.Sizes.Count);
        progress(0, "raw grain calls");
        var driver = client.GetGrain<IBaselineGrain>(0);
        var calls = Math.Max(options.Lookups * 4, 1_000);
        await CallsPerSecondAsync(driver, calls, options.Concurrency, cancellationToken); // activate the targets, JIT the path
        var warm = await WarmAsync(driver, calls, options.Concurrency, cancellationToken);
        var (activations, activationBytes) = await ActivationCostAsync(driver, Math.Clamp(options.Lookups, 1_000, MaxEmptyActivations), options.Concurrency, siloInProcess, cancellationToken);
        var sequential = await CallsPerSecondAsync(driver, calls / 4, 1, cancellationToken);
        var before = await CallsPerSecondAsync(driver, calls, options.Concurrency, cancellationToken);
        Func<CancellationToken, Task<double>> raw = ct => CallsPerSecondAsync(driver, calls, options.Concurrency, ct);

        var measured = new List<Func<BenchBaseline, BenchResult>>();
        var step = 1;
        foreach (var overlay in overlays)
        {
            foreach (var n in options.Sizes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress(step++ / (double)steps, $"{overlay.Protocol}, {n:N0} peers");
                var last = step - 1 == overlays.Count * options.Sizes.Count;
                measured.Add(await MeasureAsync(client, overlay, n, options, siloInProcess, raw, leaveLastOverlay && last, cancellationToken));
            }
        }

        progress(step / (double)steps, "raw grain calls again");
        var after = await CallsPerSecondAsync(driver, calls, options.Concurrency, cancellationToken);
        var baseline = new BenchBaseline(sequential, before, after, options.Concurrency)
        {
            WarmRuns = warm,
            ActivationsPerSecond = activations,
            EmptyActivationBytes = activationBytes,
        };
        var results = measured.Select(m => m(baseline)).ToList();
        progress(1, "done");
        return new BenchRun(started, Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription,
            siloInProcess, options.Lookups, baseline, results);
    }

    /// <summary>The adapters an overlay is measured with: Chord and Pastry once per lookup mode asked for, Kelips once.</summary>
    private static IEnumerable<IStructuredAdapter> Variants(IStructuredAdapter overlay, BenchOptions options) => overlay switch
    {
        ChordAdapter => options.LookupModes.Select(m => m == BenchOptions.Recursive ? ChordAdapter.Recursive : ChordAdapter.Instance),
        PastryAdapter => options.LookupModes.Select(m => m == BenchOptions.Recursive ? PastryAdapter.Recursive : PastryAdapter.Instance),
        _ => [overlay],
    };

    /// <summary>The lookup mode of an adapter's overlays, for the row; null where there is only one.</summary>
    private static string? ModeOf(IStructuredAdapter overlay) => overlay switch
    {
        ChordAdapter chord => chord.Mode == Chord.ChordMode.Recursive ? BenchOptions.Recursive : BenchOptions.Iterative,
        PastryAdapter pastry => pastry.Mode == Pastry.PastryMode.Recursive ? BenchOptions.Recursive : BenchOptions.Iterative,
        _ => null,
    };

    /// <summary>Raw concurrent call rates, run after run, until two consecutive ones agree within <see cref="WarmTolerance"/> (at most <see cref="MaxWarmRuns"/>).</summary>
    private static async Task<IReadOnlyList<double>> WarmAsync(IBaselineGrain driver, int calls, int concurrency, CancellationToken cancellationToken)
    {
        var runs = new List<double> { await CallsPerSecondAsync(driver, calls, concurrency, cancellationToken) };
        while (runs.Count < MaxWarmRuns)
        {
            runs.Add(await CallsPerSecondAsync(driver, calls, concurrency, cancellationToken));
            if (Math.Abs(runs[^1] - runs[^2]) <= WarmTolerance * Math.Max(runs[^1], runs[^2]))
            {
                break;
            }
        }

        return runs;
    }

    /// <summary>What Orleans itself costs per grain: <paramref name="count"/> activations of an empty grain, timed and (in process) weighed.</summary>
    private static async Task<(double PerSecond, double? Bytes)> ActivationCostAsync(IBaselineGrain driver, int count, int concurrency, bool siloInProcess, CancellationToken cancellationToken)
    {
        var heapBefore = siloInProcess ? Heap() : 0;
        var sw = Stopwatch.StartNew();

        // Keys far above the call targets (1..10,000), fresh in each run of the process; in batches,
        // so no single grain call comes near a response timeout on a slow machine.
        var first = EmptyActivationKeys + Interlocked.Add(ref _activationKeys, count) - count;
        for (var done = 0; done < count; done += ActivationBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await driver.ActivateManyAsync(first + done, Math.Min(ActivationBatch, count - done), concurrency);
        }

        var perSecond = count / sw.Elapsed.TotalSeconds;
        return (perSecond, siloInProcess ? (Heap() - heapBefore) / (double)count : null);
    }

    private static async Task<double> CallsPerSecondAsync(IBaselineGrain driver, int calls, int concurrency, CancellationToken cancellationToken)
    {
        // In batches, so no single grain call comes near a response timeout on a slow machine.
        var sw = Stopwatch.StartNew();
        for (var done = 0; done < calls; done += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await driver.CallManyAsync(Math.Min(Batch, calls - done), concurrency, Math.Min(BaselineTargets, calls));
        }

        return calls / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Measures one overlay at one size; the ratios wait for the closing baseline.</summary>
    private static async Task<Func<BenchBaseline, BenchResult>> MeasureAsync(IClusterClient client, IStructuredAdapter overlay, int n, BenchOptions options, bool siloInProcess, Func<CancellationToken, Task<double>> raw, bool leave, CancellationToken cancellationToken)
    {
        var name = $"bench-{overlay.Protocol}-{n}-{Guid.NewGuid():N}"[..40];
        var heapBefore = siloInProcess ? Heap() : 0;
        var built = Stopwatch.StartNew();
        BenchJoin? join = null;
        BenchGossip? gossip = null;
        IReadOnlyList<NodeId> members;
        if (options.ChordJoined && overlay is ChordAdapter chordAdapter)
        {
            (members, join) = await chordAdapter.BuildJoinedForBenchAsync(client, name, n, options.Seed, cancellationToken);
        }
        else if (options.KelipsJoined && overlay is KelipsAdapter kelipsAdapter)
        {
            (members, gossip) = await kelipsAdapter.BuildJoinedForBenchAsync(client, name, n, options.Seed, cancellationToken);
        }
        else
        {
            members = await overlay.BuildForBenchAsync(client, name, n, options.Seed, cancellationToken);
        }

        var buildSeconds = built.Elapsed.TotalSeconds;
        double? bytesPerPeer = siloInProcess ? (Heap() - heapBefore) / (double)n : null;
        try
        {
            await LookupsAsync(client, overlay, name, members, Math.Max(options.Lookups / 10, 100), options, 1, cancellationToken); // warm up
            var all = new List<BenchLookup>();
            var repetitions = new List<(BenchLookup[] Lookups, double PerSecond, double RawBefore, double RawAfter)>();
            for (var k = 0; k < options.Repeat; k++)
            {
                var rawBefore = await raw(cancellationToken);
                var sw = Stopwatch.StartNew();
                var lookups = await LookupsAsync(client, overlay, name, members, options.Lookups, options, 2 + k, cancellationToken);
                var perSecond = lookups.Length / sw.Elapsed.TotalSeconds;
                var rawAfter = await raw(cancellationToken);
                repetitions.Add((lookups, perSecond, rawBefore, rawAfter));
                all.AddRange(lookups);
            }

            long? peak = siloInProcess ? PeakResident() : null;
            var hops = all.Select(l => (double)l.Hops).ToList();
            var meanHops = hops.Average();
            var messages = all.Average(l => l.Messages);
            var p99 = Percentile.NearestRank(hops, 99);
            var success = all.Count(l => l.Success) / (double)all.Count;
            var measured = repetitions.Select(r => new BenchRepetition(r.PerSecond, r.RawBefore, r.RawAfter,
                r.PerSecond * meanHops / ((r.RawBefore + r.RawAfter) / 2),
                r.PerSecond * messages / ((r.RawBefore + r.RawAfter) / 2))).ToList();

            // The row shows the median repetition (by ratio; the lower middle one for an even count), so its figures fit together.
            var median = measured.OrderBy(r => r.RatioHops).ElementAt((measured.Count - 1) / 2);
            return baseline => new BenchResult(overlay.Protocol, n, buildSeconds, options.Lookups, median.LookupsPerSecond, meanHops, p99, messages, success,
                median.RatioHops,
                median.RatioMessages,
                bytesPerPeer)
            {
                RawCallsPerSecondBefore = median.RawCallsPerSecondBefore,
                RawCallsPerSecondAfter = median.RawCallsPerSecondAfter,
                RatioHopsRunMean = median.LookupsPerSecond * meanHops / baseline.ConcurrentCallsPerSecond,
                Mode = ModeOf(overlay),
                Build = join is null && gossip is null ? "converged" : "joined",
                Join = join,
                Gossip = gossip,
                Repetitions = measured,
                LookupsPerSecondSpread = BenchSpread.Of(measured.Select(r => r.LookupsPerSecond)),
                RatioHopsSpread = BenchSpread.Of(measured.Select(r => r.RatioHops)),
                PeakResidentBytes = peak,
            };
        }
        finally
        {
            if (!leave)
            {
                await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
            }
        }
    }

    private static async Task<BenchLookup[]> LookupsAsync(IClusterClient client, IStructuredAdapter overlay, string name, IReadOnlyList<NodeId> members, int count, BenchOptions options, int pass, CancellationToken cancellationToken)
    {
        // The initiators are drawn up front so the measured loop does only lookups.
        var random = new Random(unchecked((int)(options.Seed * 31) + pass));
        var from = Enumerable.Range(0, count).Select(_ => members[random.Next(members.Count)]).ToArray();
        var results = new BenchLookup[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[i] = await overlay.BenchLookupAsync(client, name, from[i], (pass * count) + i);
            }
        }));
        return results;
    }

    private static long PeakResident()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
