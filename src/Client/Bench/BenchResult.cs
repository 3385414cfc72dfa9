namespace P2POrleans.Client.Bench;

/// <summary>
/// One overlay at one size, as `p2p bench` reports it (JSON field names are snake_case). The ratios
/// divide by the mean of the raw call rates measured right before and right after this overlay's
/// timed lookups; <see cref="RatioHopsRunMean"/> is the ratio against the run's opening and closing rates, for comparison.
/// </summary>
public sealed record BenchResult(
    string Protocol,
    int Peers,
    double BuildSeconds,
    int Lookups,
    double LookupsPerSecond,
    double MeanHops,
    double P99Hops,
    double MessagesPerLookup,
    double Success,
    double RatioHops,
    double RatioMessages,
    double? BytesPerPeer)
{
    public double RawCallsPerSecondBefore { get; init; }

    public double RawCallsPerSecondAfter { get; init; }

    public double RatioHopsRunMean { get; init; }
}
