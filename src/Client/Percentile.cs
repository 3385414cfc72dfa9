namespace P2POrleans.Client;

/// <summary>Nearest-rank percentiles, as every report of the console prints them.</summary>
public static class Percentile
{
    /// <summary>The smallest value with at least p% of the values at or below it; 0 for no values.</summary>
    public static double NearestRank(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
