namespace P2POrleans.Client.Experiments;

/// <summary>What to plot: series of (x, y) from the table, with axis labels.</summary>
public sealed record ExperimentFigure(string Title, string XLabel, string YLabel, IReadOnlyList<FigureSeries> Series);

/// <summary>One line of a figure.</summary>
public sealed record FigureSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);
