namespace P2POrleans.Client.Bench;

/// <summary>
/// One overlay at one size, as `p2p bench` reports it (JSON field names are snake_case). The ratios
/// divide by the mean of the raw call rates measured right before and right after this overlay's
/// timed lookups; <see cref="RatioHopsRunMean"/> is the ratio against the run's opening and closing rates, for comparison.
/// With `--repeat K` the timed lookups (and the raw rates around them) run K times on the same
/// overlay: the row's rates and ratios are those of the median repetition (by ratio), hops and
/// success are over all K, and <see cref="Repetitions"/> and the spreads show every one.
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

    /// <summary>The lookup mode of this row ("iterative" or "recursive") for Chord and Pastry; null for Kelips.</summary>
    public string? Mode { get; init; }

    /// <summary>How the overlay was built: "converged" (ideal state installed) or "joined" (join protocol, then Chord's stabilization, <see cref="Join"/>, or Kelips' gossip, <see cref="Gossip"/>).</summary>
    public string Build { get; init; } = "converged";

    /// <summary>The joins and stabilization rounds of a joined build; null for a converged one.</summary>
    public BenchJoin? Join { get; init; }

    /// <summary>The joins and gossip rounds of a joined Kelips build; null otherwise.</summary>
    public BenchGossip? Gossip { get; init; }

    /// <summary>
    /// The process's peak resident memory so far (VmHWM), taken after this row's lookups, when the silo
    /// runs in this process: with one size per run, peak RSS / N is the memory a peer costs in all.
    /// </summary>
    public long? PeakResidentBytes { get; init; }

    /// <summary>Every repetition of the timed lookups, in order (one without --repeat).</summary>
    public IReadOnlyList<BenchRepetition> Repetitions { get; init; } = [];

    /// <summary>Lookups per second over the repetitions.</summary>
    public BenchSpread? LookupsPerSecondSpread { get; init; }

    /// <summary>lookups/s x mean hops / raw calls/s over the repetitions.</summary>
    public BenchSpread? RatioHopsSpread { get; init; }
}
