using System.Text.Json;

namespace P2POrleans.ProcessTests;

/// <summary>
/// `p2p --embedded bench` leaves its last overlay to the end of the process instead of stopping its peers one
/// by one (docs/bench.md, "10^6 Chord peers: 4 KiB for the whole process"): the process still reports every row and ends by
/// itself with exit code 0. In the REPL the silo outlives the command, so there the bench deletes every overlay
/// it built. The bound is a test timeout only; the time taken is not asserted.
/// </summary>
public sealed class BenchProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_one_shot_bench_reports_every_row_and_ends_by_itself()
    {
        await using var bench = CliProcess.Start("--embedded", "bench", "--overlays", "chord,pastry", "--sizes", "300", "--lookups", "500", "--json");

        Assert.Equal(0, await bench.ExitCodeAsync(Bound));
        using var report = JsonDocument.Parse(bench.Output);
        var rows = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["chord", "pastry"], rows.Select(r => r.GetProperty("protocol").GetString()));
        Assert.All(rows, r => Assert.Equal(1.0, r.GetProperty("success").GetDouble()));
        Assert.DoesNotContain("error", bench.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", bench.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_repl_the_bench_deletes_the_overlays_it_built()
    {
        await using var repl = CliProcess.Start("repl", "--embedded");
        await repl.WriteLineAsync("bench --overlays chord --sizes 300 --lookups 500");
        await repl.WriteLineAsync("list");
        await repl.WriteLineAsync("exit");

        Assert.Equal(0, await repl.ExitCodeAsync(Bound));
        var output = repl.Output;
        var afterList = output[output.LastIndexOf("p2p> list", StringComparison.Ordinal)..];
        Assert.Contains("no overlays yet", afterList, StringComparison.Ordinal);
    }
}
