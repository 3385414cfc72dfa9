namespace P2POrleans.Client.Bench;

/// <summary>The spread of one figure over the repetitions of a measurement: smallest, median, largest.</summary>
public sealed record BenchSpread(double Min, double Median, double Max)
{
    public static BenchSpread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new BenchSpread(sorted[0], median, sorted[^1]);
    }
}
