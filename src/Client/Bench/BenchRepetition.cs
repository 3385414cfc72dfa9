namespace P2POrleans.Client.Bench;

/// <summary>
/// One repetition of an overlay's timed lookups: their rate, the raw call rates measured right before
/// and right after them, and the ratios against the mean of those two.
/// </summary>
public sealed record BenchRepetition(double LookupsPerSecond, double RawCallsPerSecondBefore, double RawCallsPerSecondAfter, double RatioHops, double RatioMessages);
