namespace P2POrleans.ProcessTests;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM stop the `p2p` process with 130 and 143 and one line saying what was
/// done, also while `repl` waits on an open standard input and while `bench` runs, with an embedded
/// silo that must shut down. The bound is a test timeout only; the time taken is not asserted.
/// </summary>
public sealed class SignalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("TERM", 143, "SIGTERM")]
    [InlineData("INT", 130, "Ctrl+C")]
    public async Task A_repl_waiting_on_an_open_stdin_stops_on_a_signal(string signal, int code, string name)
    {
        await using var repl = CliProcess.Start("repl", "--embedded");
        await repl.WriteLineAsync("list");
        await repl.WaitForOutputAsync(o => o.Contains("no overlays yet", StringComparison.Ordinal), "answer to `list`", Bound);

        await repl.SignalAsync(signal);

        Assert.Equal(code, await repl.ExitCodeAsync(Bound));
        var error = Assert.Single(repl.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($"^error: stopped by {System.Text.RegularExpressions.Regex.Escape(name)} after [0-9.]+ s; done: 1 command\\(s\\) run$", error);
    }

    [Fact]
    public async Task Bench_stops_on_sigterm_and_says_how_far_it_got()
    {
        await using var bench = CliProcess.Start("--embedded", "bench", "--overlays", "chord", "--sizes", "500", "--lookups", "1000000");
        await bench.WaitForOutputAsync(_ => bench.Error.Contains("bench:", StringComparison.Ordinal), "bench progress", Bound);

        await bench.SignalAsync("TERM");

        Assert.Equal(143, await bench.ExitCodeAsync(Bound));
        Assert.Matches("(?m)^error: stopped by SIGTERM after [0-9.]+ s; done: bench [0-9]+% ", bench.Error);
        Assert.DoesNotContain("Exception", bench.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_view_ends_on_sigterm_as_its_normal_stop()
    {
        await using var web = CliProcess.Start("--embedded", "web", "--port", "0");
        await web.WaitForOutputAsync(o => o.Contains("web view at http://127.0.0.1:", StringComparison.Ordinal), "the web view's address", Bound);

        await web.SignalAsync("TERM");

        // Serving until stopped is the command's job: the signal's exit code, and no error line.
        Assert.Equal(143, await web.ExitCodeAsync(Bound));
        Assert.DoesNotContain("error:", web.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", web.Error, StringComparison.Ordinal);
    }
}
