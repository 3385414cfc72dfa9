namespace P2POrleans.Client.Bench;

/// <summary>
/// The raw grain-call rates, in the same process: what one hop costs at least. The concurrent rate is
/// measured before and after the overlays, and ratios use their mean, so drift of a shared machine
/// shows up (the two differ) instead of silently skewing the ratios.
/// </summary>
public sealed record BenchBaseline(double SequentialCallsPerSecond, double ConcurrentCallsPerSecondBefore, double ConcurrentCallsPerSecondAfter, int Concurrency)
{
    public double ConcurrentCallsPerSecond => (ConcurrentCallsPerSecondBefore + ConcurrentCallsPerSecondAfter) / 2;
}
