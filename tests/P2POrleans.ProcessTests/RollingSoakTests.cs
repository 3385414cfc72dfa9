using System.Globalization;

namespace P2POrleans.ProcessTests;

/// <summary>
/// Rolling restarts of the three silo processes under reads and writes (docs/cluster.md, "Rolling restarts"):
/// durable peers and spread replicas lose no key and no acknowledged write; plain replicas lose exactly
/// the keys whose every copy was on a killed silo (the expected set is counted from the holders before
/// each kill, not estimated; with copies bounded to r it is not empty at this size), and exactly the
/// acknowledged writes whose every copy was on a killed silo while an older copy lived on (counted the
/// same way, from each copy's write number). After every kill and every batch of joins the volatile rings
/// are repaired to a correct ring (successors and predecessors), a barrier bounded in rounds.
/// The default test run has a short soak (36 peers, 120 keys per ring, 2 kills, no wait between them) that
/// asserts the same bar. It used to report the spread ring without asserting it; the spread ring lost no key in
/// the six full runs since the owner write-back (the last one also with the newcomers' walk back to their
/// predecessors, docs/cluster.md "Copies after a restart"), and none in ten short runs with that walk (two with
/// the Chord cluster tests running beside them). The measured soak is explicit (`--explicit only`), sized by the
/// P2P_SOAK_* settings, run by scripts/rolling-soak (which also draws the figure).
/// </summary>
public sealed class RollingSoakTests
{
    [Fact]
    public Task A_short_rolling_soak_loses_nothing_on_the_durable_and_spread_rings_and_exactly_the_counted_keys_on_plain_replicas() =>
        RunAsync(peers: 36, keys: 120, cycles: 2, TimeSpan.Zero, plainReplicas: 2);

    [Fact(Explicit = true)]
    public Task Durable_and_spread_rings_lose_no_key_or_write_and_plain_replicas_lose_exactly_the_keys_whose_every_copy_was_killed() =>
        RunAsync(Setting("P2P_SOAK_PEERS", 45), Setting("P2P_SOAK_KEYS", 150), Setting("P2P_SOAK_CYCLES", 3),
            TimeSpan.FromSeconds(Setting("P2P_SOAK_PERIOD_S", 0)), Setting("P2P_SOAK_PLAIN_REPLICAS", 2));

    private static async Task RunAsync(int peers, int keys, int cycles, TimeSpan period, int plainReplicas)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ProcessCluster.UpAsync(3, ct);
        await using var connection = await cluster.ConnectAsync(ct);
        var client = connection.Client;
        var durable = await ChordRing.BuildAsync(client, "soak-durable", peers, keys, ["--durable", "--replicas", "1"], ct);
        var spread = await ChordRing.BuildAsync(client, "soak-spread", peers, keys, ["--spread-replicas", "--replicas", "3"], ct);
        var plain = await ChordRing.BuildAsync(client, "soak-plain", peers, keys, ["--replicas", plainReplicas.ToString(CultureInfo.InvariantCulture)], ct);

        var soak = new RollingSoak(cluster, client, [durable, spread, plain], plain);
        var reports = await soak.RunAsync(cycles, period, ct);
        foreach (var r in reports)
        {
            ChordProcessFixture.Measure(string.Create(CultureInfo.InvariantCulture,
                $"rolling soak {r.Ring} ({peers} peers, {keys} keys at the start, {r.Keys} at the end, {cycles} kill-restart cycles): {r.Found} of {r.Reads} reads found ({100.0 * r.Found / Math.Max(1, r.Reads):F2}%), "
                + $"p50 {r.LatencyP50Ms:F0} ms, p99 {r.LatencyP99Ms:F0} ms; {r.WritesAcked} of {r.Writes} writes acknowledged ({100.0 * r.WritesAcked / Math.Max(1, r.Writes):F2}%), p50 {r.WriteP50Ms:F0} ms, p99 {r.WriteP99Ms:F0} ms; "
                + $"keys lost {r.Lost.Count}, expected lost {r.ExpectedLost.Count}, acknowledged writes lost {r.WritesLost.Count}, expected {r.ExpectedWritesLost.Count}"));
        }

        foreach (var ring in soak.Repairs.GroupBy(r => r.Ring))
        {
            var rounds = ring.Select(r => r.Rounds).Order().ToList();
            ChordProcessFixture.Measure(string.Create(CultureInfo.InvariantCulture,
                $"rolling soak {ring.Key} repairs: {ring.Count(r => r.Correct)} of {ring.Count()} reached a correct ring; rounds min {rounds[0]}, median {rounds[rounds.Count / 2]}, max {rounds[^1]} ({string.Join(' ', ring.Select(r => r.Rounds))})"));
        }

        ChordProcessFixture.Measure("rolling soak kills (s since start, silo): " + string.Join(", ", soak.Kills.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.At:F1} {k.Silo}"))));
        if (Environment.GetEnvironmentVariable("P2P_SOAK_OUT") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            RollingSoakFigure.Write(Path.Combine(folder, "rolling-soak.png"), reports, soak.Kills);
            await File.WriteAllLinesAsync(Path.Combine(folder, "rolling-soak.csv"),
                ["ring,second,operations,succeeded", .. reports.SelectMany(r => r.PerSecond.Select(s => string.Create(CultureInfo.InvariantCulture, $"{r.Ring},{s.Second},{s.Ops},{s.Ok}")))], ct);
        }

        Assert.Equal(3, reports.Count);
        Assert.True(reports.All(r => r.Reads > 0 && r.WritesAcked > 0), "the client read and wrote every ring");
        Assert.Empty(reports[0].Lost);
        Assert.Empty(reports[1].Lost);
        Assert.Empty(reports[1].WritesLost);

        // With copies bounded to r, a key has all its copies on the silo killed about once in 3^r per kill:
        // the comparison below is made on a set that is not empty.
        Assert.NotEmpty(reports[2].ExpectedLost);
        Assert.Equal(reports[2].ExpectedLost, reports[2].Lost);
        Assert.Equal(reports[2].ExpectedWritesLost, reports[2].WritesLost);
        Assert.Empty(reports[0].WritesLost);
        Assert.All(soak.Repairs, r => Assert.True(r.Correct, $"the {r.Ring} ring was not repaired within the bound after {r.After} of kill {r.Kill}"));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;
}
