namespace P2POrleans.Client.Experiments;

/// <summary>An experiment's output: the table, its figure, and lines comparing ours with the paper's.</summary>
public sealed record ExperimentResult(
    ExperimentTable Table,
    ExperimentFigure Figure,
    IReadOnlyList<string> Comparison,
    IReadOnlyDictionary<string, string> Parameters);
