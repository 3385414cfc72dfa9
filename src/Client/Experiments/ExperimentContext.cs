using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>What an experiment runs with: the cluster, the seed and scale, and a way to report progress.</summary>
public sealed class ExperimentContext(IClusterClient client, long seed, ExperimentScale scale, Action<double, string> progress, CancellationToken cancellationToken, bool siloInProcess = false)
{
    private int _overlays;

    public IClusterClient Client { get; } = client;

    public long Seed { get; } = seed;

    public ExperimentScale Scale { get; } = scale;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The silo runs in this process (embedded or a test cluster), so its managed heap can be measured here.</summary>
    public bool SiloInProcess { get; } = siloInProcess;

    /// <summary>Fraction done in [0, 1] and what is running.</summary>
    public void Progress(double fraction, string what) => progress(Math.Clamp(fraction, 0, 1), what);

    /// <summary>A fresh overlay name for this run (experiments delete what they create).</summary>
    public string NewOverlayName(string experiment) => $"exp-{experiment}-{Guid.NewGuid():N}"[..40] + "-" + Interlocked.Increment(ref _overlays);

    /// <summary>
    /// An overlay's parameters for this run: the run's seed, and the longest per-call timeout, because a
    /// slow answer on a loaded machine is not a dead peer and must not change a row (docs/experiments.md, "Determinism on a loaded machine").
    /// </summary>
    public T Parameters<T>(T template)
        where T : OverlayParameters =>
        (T)(template with { Seed = Seed, CallTimeoutMs = OverlayParameters.MaxCallTimeoutMs });

    public T Pick<T>(T tiny, T small, T paper) => Scale switch
    {
        ExperimentScale.Tiny => tiny,
        ExperimentScale.Small => small,
        _ => paper,
    };
}
