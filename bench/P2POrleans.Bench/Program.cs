using P2POrleans.Bench;

// Macro benchmarks: `dotnet run -c Release --project bench/P2POrleans.Bench -- [name ...] [--json FILE]`.
// Each builds overlays in one in-process silo and prints what it measured; ratios are taken against
// a raw grain-call baseline measured in the same process.
IMacroBenchmark[] all = [new RawCallsBenchmark(), new ChordBenchmark(), new PastryBenchmark(), new KelipsBenchmark(), new UnstructuredBenchmark(), new BitTorrentBenchmark(), new DurabilityBenchmark()];

var names = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var jsonIndex = Array.IndexOf(args, "--json");
var jsonPath = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;
var unknown = names.Where(n => all.All(b => b.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"error: unknown benchmark(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(b => b.Name))}");
    return 2;
}

var selected = names.Count == 0 ? all : all.Where(b => names.Contains(b.Name)).ToArray();
var report = new BenchReport();
BenchHost? host = null;
try
{
    foreach (var benchmark in selected)
    {
        Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (benchmark.ServerGc && BenchChild.Wanted)
        {
            await BenchChild.RunAsync(benchmark.Name, report);
        }
        else
        {
            host ??= await BenchHost.StartAsync();
            await benchmark.RunAsync(host, report, CancellationToken.None);
        }

        Console.WriteLine($"   ({started.Elapsed.TotalSeconds:F1} s)");
    }
}
finally
{
    if (host is not null)
    {
        await host.DisposeAsync();
    }
}

if (jsonPath is not null)
{
    await File.WriteAllTextAsync(jsonPath, report.ToJson());
}

return 0;
