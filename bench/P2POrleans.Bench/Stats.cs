namespace P2POrleans.Bench;

/// <summary>Mean and percentiles (nearest rank) of a sample.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static (double Mean, double P1, double P50, double P99, double Max) Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted.Average(), Percentile(sorted, 1), Percentile(sorted, 50), Percentile(sorted, 99), sorted[^1]);
    }
}
