namespace P2POrleans.Client.Experiments;

/// <summary>One reproducible measurement: `p2p experiment run NAME`.</summary>
public interface IExperiment
{
    string Name { get; }

    string Description { get; }

    /// <summary>The published result it is compared with.</summary>
    string Paper { get; }

    Task<ExperimentResult> RunAsync(ExperimentContext context);
}
