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

    public T Pick<T>(T tiny, T small, T paper) => Scale switch
    {
        ExperimentScale.Tiny => tiny,
        ExperimentScale.Small => small,
        _ => paper,
    };
}
