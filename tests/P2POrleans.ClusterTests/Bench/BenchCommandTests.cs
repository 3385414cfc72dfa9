using System.Text.Json;

namespace P2POrleans.ClusterTests.Bench;

/// <summary>`p2p bench` at a small size: a baseline, one row per overlay and size, sane values, JSON for comparison over time.</summary>
[Collection(SharedCluster.Name)]
public sealed class BenchCommandTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Bench_reports_the_baseline_and_every_structured_overlay_in_json()
    {
        var file = Path.Combine(Path.GetTempPath(), $"p2p-bench-{Guid.NewGuid():N}.json");
        try
        {
            var root = await BenchAsync("--sizes", "32,64", "--lookups", "300", "--concurrency", "8", "--out", file);
            using var written = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal(root.GetProperty("results").GetArrayLength(), written.RootElement.GetProperty("results").GetArrayLength());

            var baseline = root.GetProperty("baseline");
            Assert.True(baseline.GetProperty("concurrent_calls_per_second_before").GetDouble() > 0);
            Assert.True(baseline.GetProperty("concurrent_calls_per_second_after").GetDouble() > 0);

            // The warm-up ran until two consecutive raw rates agreed within 5%, or gave up after 12 runs.
            var warm = baseline.GetProperty("warm_runs").EnumerateArray().Select(r => r.GetDouble()).ToList();
            Assert.InRange(warm.Count, 2, 12);
            Assert.True(warm.Count == 12 || Math.Abs(warm[^1] - warm[^2]) <= 0.05 * Math.Max(warm[^1], warm[^2]), string.Join(", ", warm));
            Assert.True(root.GetProperty("silo_in_process").GetBoolean());

            var rows = root.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(
                ["chord/32", "chord/64", "pastry/32", "pastry/64", "kelips/32", "kelips/64"],
                rows.Select(r => $"{r.GetProperty("protocol").GetString()}/{r.GetProperty("peers").GetInt32()}"));
            foreach (var row in rows)
            {
                var protocol = row.GetProperty("protocol").GetString();
                var peers = row.GetProperty("peers").GetInt32();
                var mean = row.GetProperty("mean_hops").GetDouble();
                Assert.Equal(300, row.GetProperty("lookups").GetInt32());
                Assert.True(row.GetProperty("success").GetDouble() == 1.0, $"{protocol}/{peers}: success {row.GetProperty("success")}");
                Assert.True(row.GetProperty("lookups_per_second").GetDouble() > 0);

                // The ratio divides by the raw rate measured right around this row's lookups.
                var around = (row.GetProperty("raw_calls_per_second_before").GetDouble() + row.GetProperty("raw_calls_per_second_after").GetDouble()) / 2;
                Assert.Equal(row.GetProperty("lookups_per_second").GetDouble() * mean / around, row.GetProperty("ratio_hops").GetDouble(), 6);
                Assert.True(row.GetProperty("messages_per_lookup").GetDouble() >= mean, $"{protocol}: fewer calls than hops");
                // Measured (the silos run in this process), but its sign is not asserted: other
                // test collections allocate and collect in the same process while it runs.
                Assert.Equal(JsonValueKind.Number, row.GetProperty("bytes_per_peer").ValueKind);

                // What each paper promises for a converged overlay with nothing failed.
                if (protocol == "kelips")
                {
                    Assert.True(row.GetProperty("p99_hops").GetDouble() <= 2, $"kelips p99 {row.GetProperty("p99_hops")}");
                }
                else
                {
                    Assert.InRange(mean, 0.5, Math.Log2(peers));
                }
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Repeated_runs_report_each_repetition_and_their_spread_the_row_being_the_median_one()
    {
        var root = await BenchAsync("--overlays", "chord", "--sizes", "32", "--lookups", "200", "--concurrency", "8", "--repeat", "3");
        var row = Assert.Single(root.GetProperty("results").EnumerateArray().ToList());
        var repetitions = row.GetProperty("repetitions").EnumerateArray().ToList();
        Assert.Equal(3, repetitions.Count);

        // Each repetition's ratio divides by the raw rates measured right around it.
        var mean = row.GetProperty("mean_hops").GetDouble();
        foreach (var r in repetitions)
        {
            var around = (r.GetProperty("raw_calls_per_second_before").GetDouble() + r.GetProperty("raw_calls_per_second_after").GetDouble()) / 2;
            Assert.Equal(r.GetProperty("lookups_per_second").GetDouble() * mean / around, r.GetProperty("ratio_hops").GetDouble(), 6);
        }

        // The spread is min / median / max of the repetitions, and the row is the median repetition.
        var ratios = repetitions.Select(r => r.GetProperty("ratio_hops").GetDouble()).Order().ToList();
        var spread = row.GetProperty("ratio_hops_spread");
        Assert.Equal(ratios[0], spread.GetProperty("min").GetDouble());
        Assert.Equal(ratios[1], spread.GetProperty("median").GetDouble());
        Assert.Equal(ratios[2], spread.GetProperty("max").GetDouble());
        Assert.Equal(ratios[1], row.GetProperty("ratio_hops").GetDouble());
        Assert.Equal(1.0, row.GetProperty("success").GetDouble());

        // Orleans' own cost of a grain is measured once per run.
        Assert.True(root.GetProperty("baseline").GetProperty("activations_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task Chord_and_pastry_are_measured_in_each_lookup_mode_asked_for_a_row_each()
    {
        var root = await BenchAsync("--overlays", "chord,pastry,kelips", "--mode", "iterative,recursive", "--sizes", "48", "--lookups", "200", "--concurrency", "8");
        var rows = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(
            ["chord/iterative", "chord/recursive", "pastry/iterative", "pastry/recursive", "kelips/"],
            rows.Select(r => $"{r.GetProperty("protocol").GetString()}/{(r.GetProperty("mode").ValueKind == JsonValueKind.Null ? "" : r.GetProperty("mode").GetString())}"));
        foreach (var row in rows)
        {
            Assert.Equal(1.0, row.GetProperty("success").GetDouble());
            Assert.Equal("converged", row.GetProperty("build").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("join").ValueKind);
        }

        // Both modes walk the same converged ring to the same owners: the same route lengths, and a
        // recursive lookup sends one message per hop (no owner ping, nothing returns to the initiator).
        var (iterative, recursive) = (rows[0], rows[1]);
        Assert.InRange(iterative.GetProperty("mean_hops").GetDouble(), 0.5, Math.Log2(48));
        Assert.InRange(recursive.GetProperty("mean_hops").GetDouble(), 0.5, Math.Log2(48));
        Assert.Equal(recursive.GetProperty("mean_hops").GetDouble(), recursive.GetProperty("messages_per_lookup").GetDouble(), 6);
        Assert.True(iterative.GetProperty("messages_per_lookup").GetDouble() > iterative.GetProperty("mean_hops").GetDouble());
    }

    [Fact]
    public async Task A_joined_chord_ring_reports_its_joins_and_the_rounds_until_every_pointer_is_right()
    {
        var row = await BenchRowAsync("--overlays", "chord", "--chord-build", "joined", "--sizes", "40", "--lookups", "200", "--concurrency", "8");
        Assert.Equal("joined", row.GetProperty("build").GetString());
        var join = row.GetProperty("join");
        Assert.True(join.GetProperty("correct").GetBoolean(), join.ToString());
        foreach (var fraction in new[] { "successors_correct", "successor_lists_correct", "predecessors_correct", "fingers_correct" })
        {
            Assert.Equal(1.0, join.GetProperty(fraction).GetDouble());
        }

        // The joins leave every successor right (the joiner notifies its successor at once); the
        // fingers need the rounds.
        Assert.Equal(1.0, join.GetProperty("successors_correct_after_joins").GetDouble());
        Assert.InRange(join.GetProperty("rounds").GetInt32(), 0, join.GetProperty("max_rounds").GetInt32());
        Assert.True(join.GetProperty("joins_per_second").GetDouble() > 0);
        Assert.Equal(1.0, row.GetProperty("success").GetDouble());
        Assert.InRange(row.GetProperty("mean_hops").GetDouble(), 0.5, Math.Log2(40));
    }

    [Fact]
    public async Task A_joined_kelips_overlay_reports_its_joins_and_the_gossip_rounds_until_every_view_contact_and_filetuple_is_complete()
    {
        var row = await BenchRowAsync("--overlays", "kelips", "--kelips-build", "joined", "--sizes", "40", "--lookups", "200", "--concurrency", "8");
        Assert.Equal("joined", row.GetProperty("build").GetString());
        var gossip = row.GetProperty("gossip");
        Assert.Equal(1.0, gossip.GetProperty("contact_coverage").GetDouble());
        Assert.Equal(1.0, gossip.GetProperty("file_tuple_coverage").GetDouble());
        Assert.InRange(gossip.GetProperty("rounds").GetInt32(), 0, gossip.GetProperty("max_rounds").GetInt32());
        Assert.True(gossip.GetProperty("joins_per_second").GetDouble() > 0);

        // k = 7 groups, c = 2: c(k-1) / (fanout x 0.2) = 20 rounds, so the floor of 80 (docs/kelips.md, "Timeouts").
        Assert.Equal(80, gossip.GetProperty("contact_timeout_rounds").GetInt64());

        // Converged: every lookup finds its file in its own group (0 hops) or through a live contact (1 hop).
        Assert.Equal(1.0, row.GetProperty("success").GetDouble());
        Assert.Equal(1.0, row.GetProperty("p99_hops").GetDouble());
        Assert.InRange(row.GetProperty("mean_hops").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task Sizes_beyond_the_free_memory_are_refused_before_anything_is_built()
    {
        // 10^6 Kelips peers would need hundreds of gigabytes (their state grows with sqrt N).
        var outcome = await CliRunner.RunAsync(fixture.Client, "bench", "--overlays", "kelips", "--sizes", "1000000");
        var line = CliRunner.AssertRefused(outcome);
        Assert.Contains("1,000,000 kelips peers need about", line, StringComparison.Ordinal);
        Assert.Contains("is free", line, StringComparison.Ordinal);
        Assert.Equal("", outcome.Out);
    }

    [Theory]
    [InlineData("--overlays", "chord,can", "unknown overlay 'can'")]
    [InlineData("--overlays", "chord,chord", "names an overlay twice")]
    [InlineData("--overlays", "", "comma-separated list")]
    [InlineData("--sizes", "1000,abc", "got 'abc'")]
    [InlineData("--sizes", "8", "between 16 and")]
    [InlineData("--sizes", "2000000", "between 16 and 1,000,000")]
    [InlineData("--repeat", "0", "--repeat must be between 1 and 50")]
    [InlineData("--repeat", "51", "--repeat must be between 1 and 50")]
    [InlineData("--lookups", "5", "--lookups must be between")]
    [InlineData("--concurrency", "0", "--concurrency must be between")]
    [InlineData("--out", "/no/such/folder/x.json", "does not exist")]
    [InlineData("--out", "bad\0name.json", "--out must name a file")]
    [InlineData("--mode", "sideways", "--mode must be iterative, recursive or both")]
    [InlineData("--mode", "recursive,recursive", "--mode must be iterative, recursive or both")]
    [InlineData("--chord-build", "half", "--chord-build must be converged or joined")]
    [InlineData("--kelips-build", "gossip", "--kelips-build must be converged or joined")]
    public async Task Bad_bench_arguments_get_one_error_line_and_exit_2(string option, string value, string expected)
    {
        var outcome = await CliRunner.RunAsync(fixture.Client, "bench", option, value);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", outcome.Out);
    }

    /// <summary>Runs `p2p bench ARGS --json` in the test cluster, asserts it succeeded and returns the report it printed.</summary>
    private async Task<JsonElement> BenchAsync(params string[] args)
    {
        var outcome = await CliRunner.RunAsync(fixture.Client, ["bench", .. args, "--json"]);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        using var printed = JsonDocument.Parse(outcome.Out);
        return printed.RootElement.Clone();
    }

    /// <summary>The same for a run that measures one overlay at one size: its one result row.</summary>
    private async Task<JsonElement> BenchRowAsync(params string[] args) =>
        Assert.Single((await BenchAsync(args)).GetProperty("results").EnumerateArray().ToList());
}
