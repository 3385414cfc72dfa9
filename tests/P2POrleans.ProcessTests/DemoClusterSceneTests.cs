using System.Globalization;
using System.Text.RegularExpressions;

namespace P2POrleans.ProcessTests;

/// <summary>
/// `p2p demo --only cluster` (docs/cluster.md, "The demo"): the scene starts its own redis-server and 3 silo
/// processes, SIGKILLs the silo hosting the durable ring's registry and reads every key at once. Asserted:
/// the first pass finds at least 99 % of the keys, none is lost after the restart, and no process the
/// demo started outlives it, also when it is stopped by SIGTERM. Bounds are test timeouts, not measurements.
/// </summary>
public sealed partial class DemoClusterSceneTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_cluster_keeps_answering_while_a_silo_dies_and_loses_no_key()
    {
        await using var demo = CliProcess.Start("demo", "--only", "cluster");
        var code = await demo.ExitCodeAsync(Bound);
        var output = demo.Output;
        Assert.True(code == 0, $"exit {code}: {output} {demo.Error}");
        ChordProcessFixture.Measure(string.Join(" | ", output.Split('\n').Where(l => l.Contains("first pass", StringComparison.Ordinal) || l.Contains("declared", StringComparison.Ordinal) || l.Contains("after the restart", StringComparison.Ordinal)).Select(l => l.Trim())));

        var first = FirstPass().Match(output);
        Assert.True(first.Success, output);
        var (found, gets) = (Number(first, 1), Number(first, 2));
        Assert.Equal(300, gets);
        Assert.True(found >= 0.99 * gets, $"first pass after the kill: {found} of {gets}");
        Assert.Matches(@"membership declared silo [1-3] dead [0-9.]+ s after the kill", output);

        var after = AfterRestart().Match(output);
        Assert.True(after.Success, output);
        Assert.Equal(Number(after, 2), Number(after, 1));
        Assert.Contains("nothing lost", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output + demo.Error, StringComparison.Ordinal);
        await NoneLeftAsync(Children(output));
    }

    [Fact]
    public async Task Sigterm_stops_the_scene_and_every_process_it_started()
    {
        await using var demo = CliProcess.Start("demo", "--only", "cluster");
        await demo.WaitForOutputAsync(o => o.Contains("$ p2p chord join demo-durable", StringComparison.Ordinal), "the scene's cluster up and its first ring being built", Bound);
        var children = Children(demo.Output);
        Assert.Equal(4, children.Count);

        await demo.SignalAsync("TERM");

        Assert.Equal(143, await demo.ExitCodeAsync(TimeSpan.FromMinutes(1)));
        Assert.Matches("(?m)^error: stopped by SIGTERM after [0-9.]+ s; done: cluster scene: ", demo.Error);
        await NoneLeftAsync(children);
    }

    [Fact]
    public async Task Without_redis_server_the_scene_is_one_error_line()
    {
        await using var demo = CliProcess.Start(new Dictionary<string, string> { ["PATH"] = "/nonexistent" }, "demo", "--only", "cluster");
        Assert.Equal(2, await demo.ExitCodeAsync(TimeSpan.FromMinutes(1)));
        var line = Assert.Single(demo.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the cluster scene starts a private redis-server, which is not installed (apt-get install -y redis-server", line, StringComparison.Ordinal);
        Assert.Empty(demo.Output.Trim());
    }

    /// <summary>The pids the demo printed for redis-server and the silos (a restarted silo's too).</summary>
    private static List<int> Children(string output) =>
        [.. Regex.Matches(output, @"(?m)(?:^redis-server on \S+ \(pid |silo [1-3]: pid )([0-9]+)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct()];

    /// <summary>Barrier: every child is gone (bounded: a child still running after it fails the test).</summary>
    private static async Task NoneLeftAsync(List<int> pids)
    {
        Assert.NotEmpty(pids);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (pids.Where(Running).ToList() is { Count: > 0 } left)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"still running after the demo exited: {string.Join(", ", left.Select(p => $"{p} ({File.ReadAllText($"/proc/{p}/cmdline").Replace('\0', ' ')})"))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Whether the pid runs one of the demo's programs (not a zombie, not a reused pid running something else).</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z' && (cmdline.Contains("redis-server", StringComparison.Ordinal) || cmdline.Contains("host-silo", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int Number(Match m, int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"first pass, started at the kill: ([0-9]+) of ([0-9]+) gets answered with the right value")]
    private static partial Regex FirstPass();

    [GeneratedRegex(@"after the restart: ([0-9]+) of ([0-9]+) keys read back")]
    private static partial Regex AfterRestart();
}
