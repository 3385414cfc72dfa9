using System.CommandLine;
using System.Globalization;
using P2POrleans.Client.Soak;
using P2POrleans.Client.Structured;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>
/// `p2p soak OVERLAY [--minutes M] [--rounds R] [--join-rate N|P%] [--fail-rate N|P%] [--lookup-rate L]
/// [--keys K] [--settle S] [--seed S]`: joins, crashes and lookups until a bound, then keys lost.
/// </summary>
public static class SoakCommand
{
    public static Command Build(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var minutes = new Option<double>("--minutes") { Description = $"wall-time bound (at most {SoakOptions.MaxMinutes})", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = $"round bound (at most {SoakOptions.MaxRounds:N0})", DefaultValueFactory = _ => 50 };
        var joinRate = new Option<string>("--join-rate") { Description = "peers joining per round: a number, or a share of the live peers like 10%", DefaultValueFactory = _ => "1" };
        var failRate = new Option<string>("--fail-rate") { Description = "peers crashing per round: a number, or a share like 10%", DefaultValueFactory = _ => "1" };
        var lookupRate = new Option<int>("--lookup-rate") { Description = "reads of random keys from random live peers per round", DefaultValueFactory = _ => 20 };
        var keys = new Option<int>("--keys") { Description = "keys stored before the churn starts", DefaultValueFactory = _ => 100 };
        var settle = new Option<int>("--settle") { Description = "rounds without churn before every key is read once", DefaultValueFactory = _ => 5 };
        var seed = new Option<long>("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };
        var soak = new Command("soak", "Churn soak: joins, crashes and lookups each round, bounded in rounds and time; success, latency, keys lost")
        {
            name, minutes, rounds, joinRate, failRate, lookupRate, keys, settle, seed,
        };

        soak.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var problems = new List<string>();
            var m = parse.GetValue(minutes);
            if (double.IsNaN(m) || m is <= 0 or > SoakOptions.MaxMinutes)
            {
                problems.Add($"--minutes must be above 0 and at most {SoakOptions.MaxMinutes} (got {m.ToString(CultureInfo.InvariantCulture)})");
            }

            var r = parse.GetValue(rounds);
            if (r is < 1 or > SoakOptions.MaxRounds)
            {
                problems.Add($"--rounds must be between 1 and {SoakOptions.MaxRounds:N0} (got {r})");
            }

            if (!SoakRate.TryParse(parse.GetValue(joinRate), out var join, out var error))
            {
                problems.Add($"--join-rate {error}");
            }

            if (!SoakRate.TryParse(parse.GetValue(failRate), out var fail, out error))
            {
                problems.Add($"--fail-rate {error}");
            }

            var l = parse.GetValue(lookupRate);
            if (l is < 0 or > SoakOptions.MaxLookupRate)
            {
                problems.Add($"--lookup-rate must be between 0 and {SoakOptions.MaxLookupRate:N0} (got {l})");
            }

            var k = parse.GetValue(keys);
            if (k is < 1 or > SoakOptions.MaxKeys)
            {
                problems.Add($"--keys must be between 1 and {SoakOptions.MaxKeys:N0} (got {k})");
            }

            var s = parse.GetValue(settle);
            if (s is < 0 or > SoakOptions.MaxSettleRounds)
            {
                problems.Add($"--settle must be between 0 and {SoakOptions.MaxSettleRounds:N0} (got {s})");
            }

            if (problems.Count > 0)
            {
                throw new CliException(problems[0]);
            }

            var overlay = parse.GetValue(name)!;
            var info = await OverlayCommands.RequireAsync(client, overlay);
            var target = StructuredAdapters.All.FirstOrDefault(t => t.Protocol == info.Parameters.Protocol)
                ?? throw new CliException($"overlay '{overlay}' is a {info.Parameters.Protocol} overlay; soak runs on {string.Join(", ", StructuredAdapters.All.Select(t => t.Protocol))}");
            var options = new SoakOptions(m, r, join, fail, l, k, s, parse.GetValue(seed));
            var runner = new SoakRunner(client, target, overlay, info.Parameters, options);
            var report = await ProgressView.RunAsync(session, $"soak {overlay}", progress => runner.RunAsync(progress, ct));
            if (session.Json)
            {
                session.WriteJson(report);
            }
            else
            {
                Render(session, report, options);
            }

            return P2PCli.Ok;
        }));
        return soak;
    }

    private static void Render(CliSession session, SoakReport r, SoakOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("soak", "value");
        table.AddRow("rounds", $"{r.Rounds}{(r.StoppedByTime ? " (stopped by --minutes)" : "")} in {r.WallSeconds.ToString("F1", c)} s");
        table.AddRow("churn per round", $"join {o.JoinRate}, fail {o.FailRate}");
        table.AddRow("peers", $"{r.PeersAtStart} at start, {r.PeersAtEnd} at end ({r.Joined} joined, {r.Failed} crashed)");
        table.AddRow("lookups during churn", $"{r.Lookups:N0}, {r.Success.ToString("P2", c)} correct, {r.MeanHops.ToString("F2", c)} hops");
        table.AddRow("simulated latency p50 / p90 / p99", $"{r.LatencyP50Ms.ToString("F0", c)} / {r.LatencyP90Ms.ToString("F0", c)} / {r.LatencyP99Ms.ToString("F0", c)} ms");
        table.AddRow("wall latency p50 / p99", $"{r.WallLatencyP50Ms.ToString("F1", c)} / {r.WallLatencyP99Ms.ToString("F1", c)} ms");
        table.AddRow($"after {r.SettleRounds} quiet rounds", $"{r.Keys - r.KeysLost} of {r.Keys} keys found ({r.SuccessAfterSettling.ToString("P2", c)}); keys lost {r.KeysLost}");
        session.Console.Write(table);
    }
}
