namespace P2POrleans.Client.Bench;

/// <summary>
/// What to measure: overlays, sizes, lookups per size, concurrent lookups in flight, and how many
/// times each overlay's timed lookups are repeated (<see cref="Repeat"/>; their spread is reported).
/// </summary>
public sealed record BenchOptions(IReadOnlyList<string> Overlays, IReadOnlyList<int> Sizes, int Lookups, int Concurrency, long Seed, int Repeat = 1)
{
    public const int MinPeers = 16;

    /// <summary>The largest size asked for at all; what fits in this machine's memory may be less (<see cref="BenchMemory"/>).</summary>
    public const int MaxPeers = 1_000_000;
    public const int MinLookups = 100;
    public const int MaxLookups = 10_000_000;
    public const int MaxRepeat = 50;
}
