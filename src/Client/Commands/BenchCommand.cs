using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using P2POrleans.Client.Bench;
using P2POrleans.Client.Structured;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>
/// `p2p bench [--overlays chord,pastry,kelips] [--sizes 1000,10000] [--lookups 20000] [--concurrency 64]
/// [--repeat K] [--mode iterative,recursive] [--chord-build converged|joined] [--kelips-build converged|joined] [--seed S] [--out FILE.json]`: raw grain-call baseline, then lookups/s per structured overlay.
/// </summary>
public static class BenchCommand
{
    public static Command Build(CommandEnvironment env)
    {
        var overlays = new Option<string>("--overlays") { Description = "comma-separated: chord, pastry, kelips", DefaultValueFactory = _ => "chord,pastry,kelips" };
        var sizes = new Option<string>("--sizes") { Description = $"comma-separated peer counts ({BenchOptions.MinPeers}..{BenchOptions.MaxPeers:N0})", DefaultValueFactory = _ => "1000,10000" };
        var lookups = new Option<int>("--lookups") { Description = "measured lookups per overlay and size", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "lookups (and baseline calls) in flight", DefaultValueFactory = _ => 64 };
        var repeat = new Option<int>("--repeat") { Description = "time each overlay's lookups this many times (min/median/max shown)", DefaultValueFactory = _ => 1 };
        var modes = new Option<string>("--mode") { Description = "lookup mode(s) of Chord and Pastry, comma-separated: iterative, recursive (a row each)", DefaultValueFactory = _ => BenchOptions.Iterative };
        var chordBuild = new Option<string>("--chord-build") { Description = "how Chord's ring is built: converged (ideal state installed) or joined (join protocol, then stabilization rounds until every pointer is right)", DefaultValueFactory = _ => "converged" };
        var kelipsBuild = new Option<string>("--kelips-build") { Description = "how Kelips is built: converged (views and contacts installed) or joined (every peer joins, then gossip rounds until every view, contact set and filetuple is complete)", DefaultValueFactory = _ => "converged" };
        var seed = new Option<long>("--seed") { Description = "seed of the overlays and the workload", DefaultValueFactory = _ => 1 };
        var outFile = new Option<string?>("--out") { Description = "also write the JSON report to this file (for comparison over time)" };
        var bench = new Command("bench", "Raw grain-call baseline, then lookups per second of each structured overlay; JSON with --json or --out")
        {
            overlays, sizes, lookups, concurrency, repeat, modes, chordBuild, kelipsBuild, seed, outFile,
        };

        bench.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var problem = Problems(parse.GetValue(overlays), parse.GetValue(sizes), parse.GetValue(lookups), parse.GetValue(concurrency), parse.GetValue(outFile), parse.GetValue(repeat))
                .Concat(ModeProblems(parse.GetValue(modes))).Concat(BuildProblems("--chord-build", parse.GetValue(chordBuild)))
                .Concat(BuildProblems("--kelips-build", parse.GetValue(kelipsBuild))).FirstOrDefault();
            if (problem is not null)
            {
                throw new CliException(problem);
            }

            var options = new BenchOptions(
                ParseOverlays(parse.GetValue(overlays)!),
                ParseSizes(parse.GetValue(sizes)!),
                parse.GetValue(lookups),
                parse.GetValue(concurrency),
                parse.GetValue(seed),
                parse.GetValue(repeat))
            {
                LookupModes = [.. parse.GetValue(modes)!.Split(',', StringSplitOptions.TrimEntries)],
                ChordJoined = parse.GetValue(chordBuild) == "joined",
                KelipsJoined = parse.GetValue(kelipsBuild) == "joined",
            };

            // The silo is in this process: refuse sizes its memory cannot hold (one overlay exists at a time).
            if (session.SiloInProcess && MemoryProblems(options, BenchMemory.Available()).FirstOrDefault() is { } tooBig)
            {
                throw new CliException(tooBig);
            }
            // An embedded silo that ends with this command keeps the last overlay to the end of the process (no teardown of its peers).
            var leave = session.SiloEndsWithCommand;
            var run = await ProgressView.RunAsync(session, "bench", report => OverlayBench.RunAsync(client, options, session.SiloInProcess, report, ct, leave));
            var path = parse.GetValue(outFile);
            if (path is not null)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run, CliSession.JsonOptions), ct);
            }

            if (session.Json)
            {
                session.WriteJson(run);
            }
            else
            {
                Render(session, run);
                if (path is not null)
                {
                    session.Out.WriteLine($"wrote {path}");
                }
            }

            if (leave)
            {
                session.LeaveSiloToProcessEnd();
            }

            return P2PCli.Ok;
        }));
        return bench;
    }

    /// <summary>Every problem with the arguments, each one line (nothing runs if there is any).</summary>
    public static IEnumerable<string> Problems(string? overlays, string? sizes, int lookups, int concurrency, string? outFile, int repeat = 1)
    {
        var known = StructuredAdapters.All.Select(o => o.Protocol).ToList();
        var names = (overlays ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(string.IsNullOrEmpty))
        {
            yield return $"--overlays must be a comma-separated list of {string.Join(", ", known)} (got '{overlays}')";
        }
        else
        {
            foreach (var name in names.Where(n => !known.Contains(n)))
            {
                yield return $"--overlays: unknown overlay '{name}' (known: {string.Join(", ", known)})";
            }

            if (names.Distinct().Count() != names.Length)
            {
                yield return $"--overlays names an overlay twice (got '{overlays}')";
            }
        }

        foreach (var size in (sizes ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < BenchOptions.MinPeers or > BenchOptions.MaxPeers)
            {
                yield return $"--sizes: each size must be a whole number between {BenchOptions.MinPeers} and {BenchOptions.MaxPeers:N0} (got '{size}')";
            }
        }

        if (lookups is < BenchOptions.MinLookups or > BenchOptions.MaxLookups)
        {
            yield return $"--lookups must be between {BenchOptions.MinLookups} and {BenchOptions.MaxLookups:N0} (got {lookups})";
        }

        if (repeat is < 1 or > BenchOptions.MaxRepeat)
        {
            yield return $"--repeat must be between 1 and {BenchOptions.MaxRepeat} (got {repeat})";
        }

        if (concurrency is < 1 or > 1024)
        {
            yield return $"--concurrency must be between 1 and 1024 (got {concurrency})";
        }

        if (outFile is not null && (string.IsNullOrWhiteSpace(outFile) || outFile.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return "--out must name a file (an empty path or one with a NUL is not one)";
        }
        else if (outFile is not null && Directory.Exists(outFile))
        {
            yield return $"--out must name a file, not a folder (got '{outFile}')";
        }
        else if (outFile is not null && Path.GetDirectoryName(Path.GetFullPath(outFile)) is { } folder && !Directory.Exists(folder))
        {
            yield return $"--out: folder '{folder}' does not exist";
        }
    }

    /// <summary>The problem with --mode, if any (one line).</summary>
    public static IEnumerable<string> ModeProblems(string? modes)
    {
        var names = (modes ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n is not (BenchOptions.Iterative or BenchOptions.Recursive)) || names.Distinct().Count() != names.Length)
        {
            yield return $"--mode must be iterative, recursive or both, comma-separated (got '{modes}')";
        }
    }

    /// <summary>The problem with --chord-build or --kelips-build, if any (one line).</summary>
    public static IEnumerable<string> BuildProblems(string option, string? build)
    {
        if (build is not ("converged" or "joined"))
        {
            yield return $"{option} must be converged or joined (got '{build}')";
        }
    }

    /// <summary>Each overlay and size that would not fit in <paramref name="available"/> bytes (<see cref="BenchMemory"/>), one line each.</summary>
    public static IEnumerable<string> MemoryProblems(BenchOptions options, long available)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var overlay in StructuredAdapters.All.Where(o => options.Overlays.Contains(o.Protocol)))
        {
            foreach (var n in options.Sizes)
            {
                if (BenchMemory.Problem(overlay, n, available) is { } problem)
                {
                    yield return problem;
                }
            }
        }
    }

    private static List<string> ParseOverlays(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries)];

    private static List<int> ParseSizes(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static void Render(CliSession session, BenchRun run)
    {
        var b = run.Baseline;
        session.Out.WriteLine($"raw grain calls: {b.SequentialCallsPerSecond:N0}/s sequential; with {b.Concurrency} in flight {b.ConcurrentCallsPerSecondBefore:N0}/s before and {b.ConcurrentCallsPerSecondAfter:N0}/s after the overlays "
            + $"({run.ProcessorCount} cores, {run.Runtime})");
        session.Out.WriteLine($"warm-up: {b.WarmRuns.Count} runs until two agree within 5%: {string.Join(", ", b.WarmRuns.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}/s; "
            + "each ratio divides by the raw rate measured right around that overlay's lookups");
        session.Out.WriteLine($"empty grain: {b.ActivationsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} activations/s"
            + (b.EmptyActivationBytes is { } heap ? $", {heap.ToString("N0", CultureInfo.InvariantCulture)} bytes of managed heap each (Orleans' own cost of a grain)" : ""));
        var table = new Table().AddColumns("overlay", "peers", "build s", "lookups/s", "mean hops", "99th pct", "calls/lookup", "success",
            "raw calls/s around", "lookups/s x hops / raw", "calls ratio", "bytes/peer", "peak RSS/peer");
        foreach (var r in run.Results)
        {
            table.AddRow(r.Mode is { } mode ? $"{r.Protocol} ({mode})" : r.Protocol, r.Peers.ToString("N0", CultureInfo.InvariantCulture), r.BuildSeconds.ToString("F1", CultureInfo.InvariantCulture),
                r.LookupsPerSecond.ToString("N0", CultureInfo.InvariantCulture), r.MeanHops.ToString("F2", CultureInfo.InvariantCulture),
                r.P99Hops.ToString("F0", CultureInfo.InvariantCulture), r.MessagesPerLookup.ToString("F2", CultureInfo.InvariantCulture),
                r.Success.ToString("P1", CultureInfo.InvariantCulture),
                $"{r.RawCallsPerSecondBefore.ToString("N0", CultureInfo.InvariantCulture)}-{r.RawCallsPerSecondAfter.ToString("N0", CultureInfo.InvariantCulture)}",
                r.RatioHops.ToString("F2", CultureInfo.InvariantCulture),
                r.RatioMessages.ToString("F2", CultureInfo.InvariantCulture),
                r.BytesPerPeer is { } bytes ? bytes.ToString("N0", CultureInfo.InvariantCulture) : "n/a (silo elsewhere)",
                r.PeakResidentBytes is { } peak ? (peak / (double)r.Peers).ToString("N0", CultureInfo.InvariantCulture) : "n/a");
        }

        session.Console.Write(table);
        foreach (var r in run.Results.Where(r => r.Join is not null))
        {
            var j = r.Join!;
            session.Out.WriteLine($"{r.Protocol} {r.Peers.ToString("N0", CultureInfo.InvariantCulture)} joined: {j.JoinsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} joins/s ({j.JoinSeconds.ToString("F1", CultureInfo.InvariantCulture)} s), "
                + $"then {j.Rounds} stabilization rounds ({j.StabilizationSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, {j.ParallelTicks} peers at once): "
                + (j.Correct ? "every pointer correct" : $"NOT all correct after {j.MaxRounds} rounds")
                + $" (successors {j.SuccessorsCorrect.ToString("P1", CultureInfo.InvariantCulture)}, lists {j.SuccessorListsCorrect.ToString("P1", CultureInfo.InvariantCulture)}, "
                + $"predecessors {j.PredecessorsCorrect.ToString("P1", CultureInfo.InvariantCulture)}, fingers {j.FingersCorrect.ToString("P1", CultureInfo.InvariantCulture)}; "
                + $"right after the joins: successors {j.SuccessorsCorrectAfterJoins.ToString("P1", CultureInfo.InvariantCulture)}, fingers {j.FingersCorrectAfterJoins.ToString("P1", CultureInfo.InvariantCulture)})");
        }

        foreach (var r in run.Results.Where(r => r.Gossip is not null))
        {
            var g = r.Gossip!;
            session.Out.WriteLine($"{r.Protocol} {r.Peers.ToString("N0", CultureInfo.InvariantCulture)} joined: {g.JoinsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} joins/s ({g.JoinSeconds.ToString("F1", CultureInfo.InvariantCulture)} s), "
                + $"then {g.Rounds} gossip rounds ({g.GossipSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, {g.ParallelTicks} peers at once) until every view, contact set and filetuple was complete "
                + $"(contact timeout {g.ContactTimeoutRounds} rounds)");
        }

        foreach (var r in run.Results.Where(r => r.Repetitions.Count > 1))
        {
            session.Out.WriteLine($"{(r.Mode is { } mode ? $"{r.Protocol} ({mode})" : r.Protocol)} {r.Peers.ToString("N0", CultureInfo.InvariantCulture)}: {r.Repetitions.Count} repetitions, "
                + $"lookups/s {Spread(r.LookupsPerSecondSpread!, "N0")}, ratio {Spread(r.RatioHopsSpread!, "F2")} (min / median / max)");
        }
    }

    private static string Spread(BenchSpread s, string format) =>
        $"{s.Min.ToString(format, CultureInfo.InvariantCulture)} / {s.Median.ToString(format, CultureInfo.InvariantCulture)} / {s.Max.ToString(format, CultureInfo.InvariantCulture)}";
}
