namespace P2POrleans.Client.Bench;

/// <summary>
/// What to measure: overlays, sizes, lookups per size, concurrent lookups in flight, and how many
/// times each overlay's timed lookups are repeated (<see cref="Repeat"/>; their spread is reported).
/// Chord and Pastry are measured in each of <see cref="LookupModes"/> (iterative, recursive or both; docs/bench.md).
/// </summary>
public sealed record BenchOptions(IReadOnlyList<string> Overlays, IReadOnlyList<int> Sizes, int Lookups, int Concurrency, long Seed, int Repeat = 1)
{
    /// <summary>The lookup modes Chord and Pastry are measured in ("iterative", "recursive"), each a row of its own; Kelips has one.</summary>
    public IReadOnlyList<string> LookupModes { get; init; } = [Iterative];

    public const string Iterative = "iterative";

    public const string Recursive = "recursive";

    /// <summary>Chord's ring built through the join protocol and stabilization rounds (<see cref="BenchJoin"/>) instead of installed converged.</summary>
    public bool ChordJoined { get; init; }

    /// <summary>Kelips built by its join and gossip rounds (<see cref="BenchGossip"/>) instead of installed converged.</summary>
    public bool KelipsJoined { get; init; }

    public const int MinPeers = 16;

    /// <summary>The largest size asked for at all; what fits in this machine's memory may be less (<see cref="BenchMemory"/>).</summary>
    public const int MaxPeers = 1_000_000;
    public const int MinLookups = 100;
    public const int MaxLookups = 10_000_000;
    public const int MaxRepeat = 50;
}
