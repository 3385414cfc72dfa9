using ScottPlot;

namespace P2POrleans.ProcessTests;

/// <summary>The soak's figure for docs/cluster.md: operations (gets and puts) that succeeded per second for each ring, the kills marked.</summary>
public static class RollingSoakFigure
{
    public static void Write(string path, IReadOnlyList<RollingSoakReport> reports, IReadOnlyList<(double At, int Silo)> kills)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(kills);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < reports.Count; i++)
        {
            var seconds = reports[i].PerSecond;
            var scatter = plot.Add.Scatter(seconds.Select(s => (double)s.Second).ToArray(), seconds.Select(s => 100.0 * s.Ok / s.Ops).ToArray());
            scatter.LegendText = reports[i].Ring;
            scatter.Color = palette.GetColor(i);
            scatter.LineWidth = 1.5f;
            scatter.MarkerSize = 3;
        }

        foreach (var (at, silo) in kills)
        {
            var line = plot.Add.VerticalLine(at);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
            line.Text = $"kill {silo}";
        }

        plot.Title("Rolling restarts: gets that found the last acknowledged write and puts acknowledged, per second");
        plot.XLabel("seconds since the soak started (dashed: SIGKILL of a silo, restarted right after it is declared dead)");
        plot.YLabel("% of operations that succeeded");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, 1000, 560);
    }
}
