namespace P2POrleans.Common;

/// <summary>
/// The configuration of one overlay: what every protocol shares. Each protocol adds its own
/// parameters in a derived record and checks them in <see cref="Validate"/>.
/// </summary>
[GenerateSerializer, Alias("p2p.OverlayParameters")]
public abstract record OverlayParameters
{
    /// <summary>Protocol name as used on the command line ("chord", "pastry", ...).</summary>
    public abstract string Protocol { get; }

    /// <summary>Seed of every random choice in the overlay (ids of generated peers, bootstrap picks, coordinates).</summary>
    [Id(0)] public long Seed { get; init; } = 1;

    [Id(1)] public ClockMode Clock { get; init; } = ClockMode.Stepped;

    /// <summary>Period of the periodic work in live mode.</summary>
    [Id(2)] public int PeriodMs { get; init; } = 1000;

    /// <summary>
    /// This overlay's per-call timeout of peer messages in milliseconds; 0 (the default) takes the
    /// silo's (3 s; docs/architecture.md, peer calls). The seeded experiments set the longest, 5
    /// minutes (Orleans' own response timeout here): in one process every live peer answers, and a
    /// loaded machine must not turn a slow answer into a dead peer and change the rows
    /// (docs/experiments.md, "Determinism").
    /// </summary>
    [Id(3)] public int CallTimeoutMs { get; init; }

    /// <summary>The longest <see cref="CallTimeoutMs"/>: Orleans' response timeout in this silo (docs/architecture.md).</summary>
    public const int MaxCallTimeoutMs = 300_000;

    /// <summary>
    /// Peers and the registry persist their state with grain storage and survive a silo crash
    /// (docs/durability.md; only protocols that implement it override this). Volatile overlays never write to storage.
    /// </summary>
    public virtual bool IsDurable => false;

    /// <summary>
    /// Peers the registry ticks at once in a stepped round: 1 (the default) ticks them one after
    /// another in id order, so a round is deterministic for a seed; more runs that many ticks
    /// concurrently (faster rounds, but the order messages arrive in within a round varies).
    /// </summary>
    public virtual int TicksInParallel => 1;

    /// <summary>Width of the id space in bits.</summary>
    public abstract int IdBits { get; }

    public IdSpace Space => new(IdBits);

    /// <summary>Every problem with the parameters, as one line each (empty when valid).</summary>
    public virtual IEnumerable<string> Validate()
    {
        if (PeriodMs is < 10 or > 3_600_000)
        {
            yield return $"period must be between 10 ms and 1 hour (got {PeriodMs} ms)";
        }

        if (CallTimeoutMs != 0 && CallTimeoutMs is < 50 or > MaxCallTimeoutMs)
        {
            yield return $"the call timeout must be 0 (the silo's) or between 50 ms and 5 minutes (got {CallTimeoutMs} ms)";
        }
    }
}
