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
        ["chord-failures"] = ["n", "p", "keys", "keys_lost", "lookups_failed_routing", "wrong_owner", "failed_fraction", "mean_hops", "keys_only_on_failed", "failed_keyspace"],
        ["chord-churn"] = ["n", "rate_per_round", "rounds", "lookups", "failed", "wrong_owner", "failed_fraction", "mean_hops", "failed_joins", "owner_joined_this_round", "wrong_owner_joined_this_round"],
        ["kelips-memory"] = ["n", "k", "files", "rounds", "converged", "view_entries", "contacts", "filetuples", "state_bytes", "model_bytes", "gossip_bytes_per_round", "gossip_messages_per_round"],
        ["kelips-churn"] = ["n", "rate_per_round", "rounds", "replaced", "lookups", "success_fraction", "file_gone_fraction", "lookups_live_home", "failed_live_home", "failed_live_home_fraction", "mean_path_length", "max_path_length", "messages_per_lookup", "dead_met_per_lookup", "files_lost", "member_timeout_rounds", "contact_suspect_rounds", "contacts_per_group", "contacts_per_peer", "dead_contact_fraction", "start_rounds", "start_contact_coverage"],
        ["gnutella-ttl"] = ["system", "workload", "peers", "ttl", "queries", "messages_per_query", "reached_per_query", "hit_rate", "hops_to_first_hit", "ping_pong_share"],
        ["pastry-hops"] = ["n", "build", "lookups", "mean_hops", "p1_hops", "p50_hops", "p99_hops", "max_hops", "ceil_log16_n", "wrong_or_failed", "frac_0", "frac_1", "frac_2", "frac_3", "frac_4", "frac_5", "frac_6_plus"],
        ["pastry-stretch"] = ["n", "build", "proximity", "lookups", "mean_hops", "relative_distance", "mean_stretch", "p50_stretch", "p99_stretch", "mean_route_rtt_ms", "mean_direct_rtt_ms", "mean_route_distance", "mean_direct_distance", "wrong_or_failed"],
        ["bittorrent-pieces"] = ["policy", "series", "time_s", "value"],
        ["tradeoff"] = ["system", "n", "node_entries", "key_entries", "state_bytes", "mean_hops", "p99_hops", "mean_latency_ms", "messages_per_lookup", "success", "maint_msgs_per_node_round", "maint_bytes_per_node_round", "success_10pct_failed_before_repair", "success_10pct_failed_after_repair", "repair_rounds"],
        ["bittorrent-free-riders"] = ["seeds", "tit_for_tat", "leechers", "free_riders", "contributors_mean_s", "free_riders_mean_s", "contributors_median_s", "free_riders_median_s", "ratio_mean"],
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
            var raw = csv.Skip(1).Select(l => l.Split(',')).ToList();
            Plausible(name, raw.Select(r => r.Select(Number).ToArray()).ToList(), raw);
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
    [InlineData("kelips-memory")]
    [InlineData("kelips-churn")]
    [InlineData("gnutella-ttl")]
    [InlineData("pastry-hops")]
    [InlineData("pastry-stretch")]
    [InlineData("tradeoff")]
    [InlineData("bittorrent-pieces")]
    [InlineData("bittorrent-free-riders")]
    public async Task The_same_seed_gives_byte_identical_csv(string name)
    {
        var a = await RunCsvAsync(name, "3");
        var b = await RunCsvAsync(name, "3");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(a), System.Text.Encoding.UTF8.GetString(b));
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

    /// <summary>A numeric cell, or NaN for a text cell (the system and workload columns).</summary>
    private static double Number(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    private static void Plausible(string name, List<double[]> rows, List<string[]> raw)
    {
        switch (name)
        {
            case "chord-path-length":
                // Stoica et al. (ToN 2003, section V.D): mean path length about ½·log2 N. The
                // analysis gives ½·log2 N + O(1); at N = 8 .. 1,024 every mean we measured (tiny
                // and small scale, seeds 1, 3, 5) lies within 0.35 hop of it, and the growth per
                // doubling of N within 0.05 of ½. Bars: 0.4 hop, and 0.5 ± 0.1 per doubling over
                // the three doublings of the tiny scale (200 lookups: a standard error of about
                // 0.07 hop per mean).
                foreach (var r in new[] { 8.0, 1.0 })
                {
                    var means = rows.Where(x => x[1] == r).Select(x => (N: x[0], Mean: x[3])).ToList();
                    Assert.True(means.Zip(means.Skip(1)).All(p => p.Second.Mean > p.First.Mean), "mean hops grow with N");
                    var slope = (means[^1].Mean - means[0].Mean) / (Math.Log2(means[^1].N) - Math.Log2(means[0].N));
                    Assert.InRange(slope, 0.4, 0.6);
                }

                foreach (var x in rows.Where(x => x[1] == 1))
                {
                    Assert.InRange(x[3], (0.5 * Math.Log2(x[0])) - 0.4, (0.5 * Math.Log2(x[0])) + 0.4);
                    Assert.Equal(0.5 * Math.Log2(x[0]), x[7]);
                }

                // The successor list only adds shortcuts for the last hops.
                Assert.All(rows.Where(x => x[1] == 8), x => Assert.True(x[3] < rows.Single(y => y[1] == 1 && y[0] == x[0])[3], "the successor list shortens lookups"));
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
                // With one copy per key and a converged ring, a key is lost exactly when its owner
                // failed, and every other lookup reaches the right owner (ToN section V.E).
                Assert.All(rows, x => Assert.Equal(0, x[4]));
                Assert.All(rows, x => Assert.Equal(0, x[5]));
                Assert.All(rows, x => Assert.Equal(x[8], x[3]));
                Assert.All(rows, x => Assert.Equal(x[3] / x[2], x[6], 6));

                // The failed peers' share of the ring is that of pN of N random points: Beta(pN,
                // N - pN), standard deviation sqrt(p(1 - p) / (N + 1)); the keys sample it
                // binomially. Bars: 4 standard deviations.
                Assert.All(rows, x => Assert.InRange(x[9], x[1] - (4 * Math.Sqrt(x[1] * (1 - x[1]) / (x[0] + 1))), x[1] + (4 * Math.Sqrt(x[1] * (1 - x[1]) / (x[0] + 1)))));
                Assert.All(rows, x => Assert.InRange(x[6], x[9] - (4 * Math.Sqrt(x[9] * (1 - x[9]) / x[2])), x[9] + (4 * Math.Sqrt(x[9] * (1 - x[9]) / x[2]))));
                break;
            case "chord-churn":
                // No churn, no error; with churn, no lookup fails outright (an 8-entry successor
                // list survives 10% failures per round) and, up to 10% churn per round, no more
                // lookups go wrong than keys owned by this round's joiners (measured at the small
                // scale: 96 of 380 at 10%; at 20% it is 1,458 against 798, docs/experiments.md).
                Assert.Equal(0, rows[0][6]);
                Assert.All(rows, x => Assert.Equal(0, x[4]));
                Assert.All(rows, x => Assert.True(x[1] <= 0.1));
                Assert.All(rows, x => Assert.True(x[5] <= x[9], $"{x[5]} wrong owners at {x[1]} per round, {x[9]} lookups of keys owned by this round's joiners"));
                Assert.All(rows, x => Assert.InRange(x[10], 0, Math.Min(x[5], x[9])));
                Assert.All(rows, x => Assert.Equal((x[4] + x[5]) / x[3], x[6], 6));
                break;
            case "kelips-memory":
                Assert.All(rows, x => Assert.Equal(1, x[4]));
                Assert.True(rows.Zip(rows.Skip(1)).All(p => p.Second[8] > p.First[8]), "state bytes grow with N");
                // Under the size model the measured state follows the analytic n/k + c(k-1) + F/k
                // entries; above it by the uneven split of peers over groups (the mean view is the
                // sum of squared group sizes over N, at least N/k): 1.00-1.09x at N = 16 .. 2,000.
                Assert.All(rows, x => Assert.InRange(x[8] / x[9], 0.95, 1.15));
                Assert.All(rows, x => Assert.InRange(x[5], x[0] / x[1] * 0.3, x[0] / x[1] * 3));
                break;
            case "kelips-churn":
                // No churn: nothing gone, nothing failed, nobody dead; every answer local or from the
                // first contact asked (path = messages, at most 1 hop).
                Assert.Equal(0, rows[0][1]);
                Assert.Equal([1, 0, rows[0][4], 0, 0], [rows[0][5], rows[0][6], rows[0][7], rows[0][8], rows[0][14]]);
                Assert.Equal(0, rows[0][13]);
                Assert.InRange(rows[0][11], 0, 1);
                Assert.Equal(rows[0][10], rows[0][12], 9);
                Assert.All(rows, x =>
                {
                    // Every lookup is found, asks for a file whose home crashed, or fails although the home lives.
                    // (The CSV keeps 6 decimals: counts are recovered by rounding to integers.)
                    Assert.Equal(x[4], Math.Round((x[5] * x[4]) + (x[6] * x[4]) + x[8]));
                    Assert.Equal(x[4] - x[7], Math.Round(x[6] * x[4]));
                    Assert.Equal(x[7] == 0 ? 0 : x[8] / x[7], x[9], 5);
                    Assert.InRange(x[11], 0, 2);
                    Assert.True(x[12] >= x[10] * x[5], "every hop of a route is a message");
                });
                Assert.Equal(rows.Select(x => x[3]), rows.Select(x => Math.Round(x[1] * x[0], MidpointRounding.ToEven) * x[2]));

                // Every rate three times: the defaults, the churn setting (member timeout 20, contacts
                // suspect after 4 rounds), and the churn setting with c = 16 contacts per group.
                var third = rows.Count / 3;
                Assert.Equal(3 * third, rows.Count);
                Assert.Equal(rows.Take(third).Select(x => x[1]), rows.Skip(third).Take(third).Select(x => x[1]));
                Assert.Equal(rows.Take(third).Select(x => x[1]), rows.Skip(2 * third).Select(x => x[1]));
                Assert.All(rows.Take(third), x => Assert.Equal([40, 0, 2], [x[15], x[16], x[17]]));
                Assert.All(rows.Skip(third).Take(third), x => Assert.Equal([20, 4, 2], [x[15], x[16], x[17]]));
                Assert.All(rows.Skip(2 * third), x => Assert.Equal([20, 4, 16], [x[15], x[16], x[17]]));

                // A peer keeps at most c contacts in each of the k - 1 foreign groups; converged and
                // calm, every one of them lives.
                var k = Math.Ceiling(Math.Sqrt(rows[0][0]));
                Assert.All(rows, x => Assert.InRange(x[18], 0, x[17] * (k - 1)));
                Assert.All(rows, x => Assert.InRange(x[19], 0, 1));
                Assert.All(rows.Where(x => x[1] == 0), x => Assert.Equal(0, x[19]));

                // The start: views complete within the 100 rounds allowed, nearly every pair with a contact.
                Assert.All(rows, x => Assert.InRange(x[20], 0, 100));
                Assert.All(rows, x => Assert.InRange(x[21], 0.9, 1));
                break;
            case "gnutella-ttl":
                var gnutella = rows.Where((_, i) => raw[i][0] == "gnutella" && raw[i][1] == "query").ToList();
                Assert.Equal(7, gnutella.Count);
                Assert.True(gnutella.Zip(gnutella.Skip(1)).All(p => p.Second[5] >= p.First[5] && p.Second[7] >= p.First[7]), "messages and hit rate grow with TTL");
                Assert.True(gnutella[^1][5] > gnutella[0][5]);
                var napster = rows.Single(x => raw[rows.IndexOf(x)][0] == "napster");
                Assert.True(napster[5] < gnutella[^1][5], "the central index costs fewer messages than a TTL 7 flood");
                Assert.True(napster[7] >= gnutella[^1][7], "the index finds at least what the flood finds");
                Assert.Contains(raw, r => r[0] == "fasttrack");
                var shares = raw.Where(r => r[1].StartsWith("ping-mix", StringComparison.Ordinal)).Select(r => Number(r[9])).ToList();
                Assert.Equal(2, shares.Count);
                Assert.All(shares, s => Assert.InRange(s, 0, 1));
                Assert.True(shares[1] < shares[0], "pong caching lowers the Ping/Pong share");
                break;
            case "pastry-hops":
            {
                var converged = rows.Where((_, i) => raw[i][1] == "converged").ToList();
                var joined = rows.Where((_, i) => raw[i][1] == "joined").ToList();
                Assert.NotEmpty(joined);
                Assert.True(converged.Zip(converged.Skip(1)).All(p => p.Second[3] > p.First[3]), "mean hops grow with N");
                Assert.All(rows, x => Assert.True(x[3] <= x[8], "mean hops stay below ceil(log16 N)"));

                // Rowstron and Druschel (section 3.1, figure 4): the mean grows as log16 N. Every
                // mean we measured (N = 32 .. 10,000, both builds) lies within 0.1 hop of log16 N;
                // bar: 0.25 (300 lookups: a standard error of about 0.04 hop).
                Assert.All(rows, x => Assert.InRange(x[3], Math.Log(x[0], 16) - 0.25, Math.Log(x[0], 16) + 0.25));
                Assert.All(rows, x => Assert.True(x[7] <= x[8] + 1, "no route longer than ceil(log16 N) + 1"));
                Assert.All(rows, x => Assert.Equal(0, x[9]));
                Assert.All(rows, x => Assert.Equal(1, x.Skip(10).Sum(), 6));

                // The join protocol's tables route like the oracle's: the same lookups within 0.1 hop
                // (measured: 0.003 at 1,000, 0.02 at 512).
                Assert.All(joined, j => Assert.InRange(j[3] - converged.Single(c => c[0] == j[0])[3], -0.1, 0.1));
                break;
            }

            case "pastry-stretch":
                // Rowstron and Druschel (section 3.2): with proximity-aware tables routes travel about
                // 1.3-1.4 times the direct distance. Bar: within 10% of that range, for the oracle's
                // tables and the join protocol's (measured 1.25-1.28 at N = 200, 1.36-1.46 at 1,000
                // and 10,000); without proximity selection routes are longer.
                foreach (var build in new[] { "converged", "joined" })
                {
                    var with = rows.Single(x => raw[rows.IndexOf(x)][1] == build && x[2] == 1);
                    var without = rows.Single(x => raw[rows.IndexOf(x)][1] == build && x[2] == 0);
                    Assert.InRange(with[5], 1.3 * 0.9, 1.4 * 1.1);
                    Assert.True(with[5] < without[5], "proximity selection shortens the routes");
                    Assert.True(with[6] < without[6], "proximity selection lowers the per-route RTT ratio");
                    Assert.InRange(with[4] - without[4], -0.1, 0.1); // the same rows, only the node chosen for a slot differs
                }

                Assert.All(rows, x => Assert.Equal(x[11] / x[12], x[5], 3));
                Assert.All(rows, x => Assert.True(x[5] >= 1 && x[7] >= 1 && x[8] >= x[7]));
                Assert.All(rows, x => Assert.Equal(0, x[13]));
                Assert.All(rows, x => Assert.Equal(rows[0][10], x[10], 6)); // the same lookups: the same direct RTTs
                break;
            case "bittorrent-pieces":
                double MeanCompletion(string policy) => raw.Where(r => r[0] == policy && r[1] == "completion_cdf").Average(r => Number(r[2]));
                foreach (var policy in new[] { "rarest-first", "random" })
                {
                    var cdf = raw.Where(r => r[0] == policy && r[1] == "completion_cdf").Select(r => Number(r[3])).ToList();
                    Assert.Equal(1, cdf[^1], 6); // every leecher completes
                    Assert.True(cdf.Zip(cdf.Skip(1)).All(p => p.Second > p.First));
                    var distinct = raw.Where(r => r[0] == policy && r[1] == "distinct_pieces").Select(r => Number(r[3])).ToList();
                    Assert.True(distinct.Zip(distinct.Skip(1)).All(p => p.Second >= p.First), "pieces among the leechers never disappear (nobody leaves)");
                }

                // Holds for the tiny swarm at seed 5 and 3 (and the other seeds tried: 1, 2); a property of the seed-limited flash crowd.
                Assert.True(MeanCompletion("rarest-first") < MeanCompletion("random"), "rarest first finishes sooner on average");
                break;
            case "bittorrent-free-riders":
                Assert.Equal(4, rows.Count);
                Assert.All(rows, x => Assert.True(x[4] > 0 && x[5] > 0));
                // Not asserted here: free riders slower than contributors. It holds at the small
                // scale (100 leechers: 1.20x with 4 seeds, docs/experiments.md), but the tiny swarm
                // (24 leechers, 5 free riders) is too small for tit for tat to bite: 0.94x at seed 5.
                foreach (var seeds in new[] { 1.0, 4.0 })
                {
                    Assert.True(rows.Single(x => x[0] == seeds && x[1] == 1)[4] < rows.Single(x => x[0] == seeds && x[1] == 0)[4], "contributors finish sooner with tit for tat than with choking off");
                }

                break;
            case "tradeoff":
                Assert.Equal(["chord", "pastry", "kelips", "napster", "gnutella", "fasttrack"], raw.Select(r => r[0]));
                double[] Of(string system) => rows[raw.FindIndex(r => r[0] == system)];
                foreach (var system in new[] { "chord", "pastry", "kelips" })
                {
                    var x = Of(system);
                    Assert.Equal(1, x[9]); // every lookup correct on the healthy overlay
                    Assert.True(x[2] > 0 && x[4] > 0 && x[7] > 0 && x[10] > 0);

                    // 10% crashed: every lookup still correct, before and after repair (Chord's
                    // successor list, Pastry's leaf set, Kelips' other contacts route around the dead;
                    // Kelips is asked only for files whose home lives).
                    Assert.Equal(1, x[12]);
                    Assert.Equal(1, x[13]);
                }

                Assert.True(Of("kelips")[6] <= 2, "Kelips lookups take at most 2 hops when nothing failed");
                Assert.True(Of("kelips")[5] < Of("pastry")[5] && Of("pastry")[5] < Of("chord")[5], "hops: Kelips < Pastry (b = 4) < Chord");
                // Converged, every peer fills its 3 gossip slots every round (a contact slot with no
                // free contact falls back to a group mate; every group here has more than 3 members).
                Assert.Equal(3, Of("kelips")[10], 6);
                Assert.True(Of("kelips")[11] > 0);
                Assert.All(new[] { "chord", "pastry" }, s => Assert.Equal("n/a", raw[raw.FindIndex(r => r[0] == s)][11]));
                Assert.True(Of("napster")[8] < Of("fasttrack")[8] && Of("fasttrack")[8] < Of("gnutella")[8], "search messages: index < supernode flood < flood");
                Assert.All(new[] { "napster", "gnutella", "fasttrack" }, s => Assert.Equal("n/a", raw[raw.FindIndex(r => r[0] == s)][2]));
                break;
        }
    }
}
