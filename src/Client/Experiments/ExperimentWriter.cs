using System.Globalization;
using System.Text;
using ScottPlot;

namespace P2POrleans.Client.Experiments;

/// <summary>Writes an experiment's CSV, PNG figure and markdown summary into the output folder.</summary>
public static class ExperimentWriter
{
    public static IReadOnlyList<string> Write(string outDir, IExperiment experiment, ExperimentResult result, long seed, ExperimentScale scale, TimeSpan wall)
    {
        Directory.CreateDirectory(outDir);
        var csv = Path.Combine(outDir, experiment.Name + ".csv");
        var png = Path.Combine(outDir, experiment.Name + ".png");
        var md = Path.Combine(outDir, experiment.Name + ".md");
        File.WriteAllText(csv, result.Table.ToCsv());
        Plot(result.Figure, png);
        File.WriteAllText(md, Summary(experiment, result, seed, scale, wall));
        return [csv, png, md];
    }

    private static void Plot(ExperimentFigure figure, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var series in figure.Series)
        {
            var scatter = plot.Add.Scatter(series.X.ToArray(), series.Y.ToArray());
            scatter.LegendText = series.Label;
            scatter.Color = palette.GetColor(i++);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
        }

        plot.Title(figure.Title);
        plot.XLabel(figure.XLabel);
        plot.YLabel(figure.YLabel);
        if (figure.Series.Count > 1)
        {
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.SavePng(path, 900, 560);
    }

    private static string Summary(IExperiment experiment, ExperimentResult result, long seed, ExperimentScale scale, TimeSpan wall)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# {experiment.Name}\n\n{experiment.Description}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- command: `p2p experiment run {experiment.Name} --seed {seed} --scale {scale.ToString().ToLowerInvariant()}`\n");
        sb.Append(CultureInfo.InvariantCulture, $"- seed: {seed}, scale: {scale.ToString().ToLowerInvariant()}, wall time: {wall.TotalSeconds:F1} s\n");
        foreach (var (k, v) in result.Parameters)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {k}: {v}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\n## Paper\n\n{experiment.Paper}\n\n## Ours\n\n");
        foreach (var line in result.Comparison)
        {
            sb.Append("- ").Append(line).Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"\n![{experiment.Name}]({experiment.Name}.png)\n\n## Data\n\n");
        sb.Append("| ").Append(string.Join(" | ", result.Table.Columns)).Append(" |\n");
        sb.Append('|').Append(string.Concat(result.Table.Columns.Select(_ => "---:|"))).Append('\n');
        foreach (var line in result.Table.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            sb.Append("| ").Append(line.Replace(",", " | ", StringComparison.Ordinal)).Append(" |\n");
        }

        return sb.ToString();
    }
}
