using System.CommandLine;
using System.Diagnostics;
using P2POrleans.Client.Experiments;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p experiment list` and `p2p experiment run NAME --out DIR [--seed S] [--scale tiny|small|paper]`.</summary>
public static class ExperimentCommands
{
    public static Command Build(CommandEnvironment env)
    {
        var experiment = new Command("experiment", "Reproduce the papers' measurements: CSV, PNG figure and a markdown summary");

        var list = new Command("list", "The experiments and the published results they are compared with");
        list.SetAction(async (_, _) =>
        {
            var session = env.Session;
            if (session.Json)
            {
                session.WriteJson(ExperimentCatalog.All.Select(e => new { name = e.Name, description = e.Description, paper = e.Paper }));
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("experiment", "what it measures");
            foreach (var e in ExperimentCatalog.All)
            {
                table.AddRow(e.Name, Markup.Escape(e.Description));
            }

            session.Console.Write(table);
            await Task.CompletedTask;
            return P2PCli.Ok;
        });

        var name = new Argument<string>("name") { Description = "experiment name (see `p2p experiment list`)" };
        var outDir = new Option<string>("--out") { Description = "folder for the CSV, PNG and markdown", Required = true };
        var seed = new Option<long>("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };
        var scale = new Option<ExperimentScale>("--scale") { Description = "tiny (seconds), small (minutes) or paper (the paper's setup)", DefaultValueFactory = _ => ExperimentScale.Small };
        var run = new Command("run", "Run one experiment") { name, outDir, seed, scale };
        run.Validators.Add(r =>
        {
            var n = r.GetValue(name);
            if (n is not null && ExperimentCatalog.Find(n) is null)
            {
                r.AddError($"unknown experiment '{n}' (known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))})");
            }
        });
        run.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var chosen = ExperimentCatalog.Find(parse.GetValue(name)!)!;
            var folder = CliPaths.Full(parse.GetValue(outDir), "--out");
            if (File.Exists(folder))
            {
                throw new CliException($"--out '{folder}' is a file, not a folder");
            }

            var s = parse.GetValue(seed);
            var sc = parse.GetValue(scale);
            var wall = Stopwatch.StartNew();
            var result = await ProgressView.RunAsync(session, chosen.Name, report => chosen.RunAsync(new ExperimentContext(client, s, sc, report, ct, session.SiloInProcess)));
            var files = ExperimentWriter.Write(folder, chosen, result, s, sc, wall.Elapsed);
            if (session.Json)
            {
                session.WriteJson(new { experiment = chosen.Name, seed = s, scale = sc.ToString().ToLowerInvariant(), files, comparison = result.Comparison });
            }
            else
            {
                foreach (var line in result.Comparison)
                {
                    session.Out.WriteLine(line);
                }

                session.Out.WriteLine($"wrote {string.Join(", ", files)} in {wall.Elapsed.TotalSeconds:F1} s");
            }

            return P2PCli.Ok;
        }));

        experiment.Subcommands.Add(list);
        experiment.Subcommands.Add(run);
        return experiment;
    }
}
