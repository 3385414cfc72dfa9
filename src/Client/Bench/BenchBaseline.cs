namespace P2POrleans.Client.Bench;

/// <summary>
/// The raw grain-call rates, in the same process: what one hop costs at least. The concurrent rate is
/// first warmed (<see cref="WarmRuns"/>: run after run until two consecutive agree within 5%), then
/// measured before and after the overlays, so drift of a shared machine shows up (the two differ).
/// Each overlay's ratio uses the rate measured right around its own lookups (<see cref="BenchResult"/>).
/// </summary>
public sealed record BenchBaseline(double SequentialCallsPerSecond, double ConcurrentCallsPerSecondBefore, double ConcurrentCallsPerSecondAfter, int Concurrency)
{
    public double ConcurrentCallsPerSecond => (ConcurrentCallsPerSecondBefore + ConcurrentCallsPerSecondAfter) / 2;

    /// <summary>The warm-up's concurrent rates, in order; the last two agree within 5% unless it gave up after 12.</summary>
    public IReadOnlyList<double> WarmRuns { get; init; } = [];

    /// <summary>Activations of an empty grain per second (fresh keys, the same concurrency).</summary>
    public double ActivationsPerSecond { get; init; }

    /// <summary>
    /// Managed heap per activation of an empty grain: Orleans' own cost of a grain, the floor under
    /// every peer's bytes (measured only when the silo runs in this process).
    /// </summary>
    public double? EmptyActivationBytes { get; init; }
}
