namespace P2POrleans.Client.Bench;

/// <summary>What to measure: overlays, sizes, lookups per size and concurrent lookups in flight.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Overlays, IReadOnlyList<int> Sizes, int Lookups, int Concurrency, long Seed)
{
    public const int MinPeers = 16;
    public const int MaxPeers = 100_000;
    public const int MinLookups = 100;
    public const int MaxLookups = 10_000_000;
}
