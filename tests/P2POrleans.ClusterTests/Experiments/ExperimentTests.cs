using System.Globalization;
using P2POrleans.Client.Experiments;

namespace P2POrleans.ClusterTests.Experiments;

/// <summary>Every experiment at the tiny scale: files written, expected columns, plausible values, same seed same bytes.</summary>
[Collection(SharedCluster.Name)]
public sealed class ExperimentTests(ClusterFixture fixture)
{
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["chord-path-length"] = ["n", "successors", "lookups", "mean_hops", "p1_hops", "p99_hops", "max_hops", "half_log2_n", "failed"],
        ["chord-load-balance"] = ["hosts", "keys", "vnodes", "mean", "p1", "p99", "p99_over_mean"],
        ["chord-failures"] = ["n", "p", "keys", "keys_lost", "lookups_failed_routing", "wrong_owner", "failed_fraction", "mean_hops"],
        ["chord-churn"] = ["n", "rate_per_round", "rounds", "lookups", "failed", "wrong_owner", "failed_fraction", "mean_hops", "failed_joins"],
    };

    public static TheoryData<string> Names() => new(ExperimentCatalog.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_experiment_writes_csv_png_and_summary_with_the_expected_columns(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "p2p-exp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var outcome = await CliRunner.RunAsync(fixture.Client, "experiment", "run", name, "--out", dir, "--scale", "tiny", "--seed", "5");
            Assert.True(outcome.ExitCode == 0, outcome.Error);
            var csv = await File.ReadAllLinesAsync(Path.Combine(dir, name + ".csv"), TestContext.Current.CancellationToken);
            Assert.Equal(string.Join(',', Columns[name]), csv[0]);
            Assert.True(csv.Length > 2);
            var png = await File.ReadAllBytesAsync(Path.Combine(dir, name + ".png"), TestContext.Current.CancellationToken);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
            var md = await File.ReadAllTextAsync(Path.Combine(dir, name + ".md"), TestContext.Current.CancellationToken);
            Assert.Contains("seed: 5", md, StringComparison.Ordinal);
            Assert.Contains("## Paper", md, StringComparison.Ordinal);
            Plausible(name, csv.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("chord-path-length")]
    [InlineData("chord-failures")]
    [InlineData("chord-churn")]
    public async Task The_same_seed_gives_byte_identical_csv(string name)
    {
        var a = await RunCsvAsync(name, "3");
        var b = await RunCsvAsync(name, "3");
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Unknown_experiment_and_missing_out_are_bad_input()
    {
        Assert.Equal(2, (await CliRunner.RunAsync(fixture.Client, "experiment", "run", "no-such-thing", "--out", "x")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync(fixture.Client, "experiment", "run", "chord-path-length")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync(fixture.Client, "experiment", "run", "chord-path-length", "--out", "x", "--scale", "huge")).ExitCode);
    }

    private async Task<byte[]> RunCsvAsync(string name, string seed)
    {
        var dir = Path.Combine(Path.GetTempPath(), "p2p-exp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var outcome = await CliRunner.RunAsync(fixture.Client, "experiment", "run", name, "--out", dir, "--scale", "tiny", "--seed", seed);
            Assert.True(outcome.ExitCode == 0, outcome.Error);
            return await File.ReadAllBytesAsync(Path.Combine(dir, name + ".csv"), TestContext.Current.CancellationToken);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static void Plausible(string name, List<double[]> rows)
    {
        switch (name)
        {
            case "chord-path-length":
                foreach (var r in new[] { 8.0, 1.0 })
                {
                    var means = rows.Where(x => x[1] == r).Select(x => (N: x[0], Mean: x[3])).ToList();
                    Assert.True(means.Zip(means.Skip(1)).All(p => p.Second.Mean > p.First.Mean), "mean hops grow with N");
                    Assert.All(means, m => Assert.True(m.Mean < Math.Log2(m.N), "mean hops stay below log2 N"));
                }

                Assert.All(rows, x => Assert.Equal(0, x[8]));
                break;
            case "chord-load-balance":
                foreach (var keys in rows.Select(x => x[1]).Distinct())
                {
                    var ratios = rows.Where(x => x[1] == keys).Select(x => x[6]).ToList();
                    Assert.True(ratios[^1] < ratios[0], "virtual nodes even out the load");
                }

                break;
            case "chord-failures":
                Assert.All(rows, x => Assert.Equal(0, x[4]));
                Assert.All(rows, x => Assert.Equal(0, x[5]));
                Assert.All(rows, x => Assert.InRange(x[6], x[1] * 0.3, Math.Min(1, (x[1] * 2) + 0.05)));
                break;
            case "chord-churn":
                Assert.Equal(0, rows[0][6]);
                Assert.All(rows, x => Assert.InRange(x[6], 0, 0.5));
                break;
        }
    }
}
