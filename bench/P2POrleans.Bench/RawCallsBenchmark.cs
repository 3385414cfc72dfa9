using System.Diagnostics;
using P2POrleans.Common;

namespace P2POrleans.Bench;

/// <summary>
/// The baseline every ratio is taken against: trivial grain-to-grain calls per second inside the
/// silo (what one routing hop costs at least), sequential and with 64 concurrent callers.
/// </summary>
public sealed class RawCallsBenchmark : IMacroBenchmark
{
    public const int Concurrency = 64;

    /// <summary>Last measured concurrent rate, for the other benchmarks' ratios.</summary>
    public static double ConcurrentCallsPerSecond { get; private set; }

    public string Name => "raw-calls";

    public string Description => "baseline: trivial grain calls per second (grain to grain, in the silo)";

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        var driver = host.Client.GetGrain<IBaselineGrain>(0);
        await driver.CallManyAsync(10_000, 1, 10_000); // warm up: activate the targets
        var sequential = await MeasureAsync(driver, 50_000, 1);
        var concurrent = await MeasureAsync(driver, 200_000, Concurrency);
        ConcurrentCallsPerSecond = concurrent;
        report.Add(Name, "sequential calls/s", sequential, "calls/s");
        report.Add(Name, $"concurrent calls/s ({Concurrency} callers)", concurrent, "calls/s");
    }

    private static async Task<double> MeasureAsync(IBaselineGrain driver, int calls, int concurrency)
    {
        var sw = Stopwatch.StartNew();
        await driver.CallManyAsync(calls, concurrency, 10_000);
        return calls / sw.Elapsed.TotalSeconds;
    }
}
