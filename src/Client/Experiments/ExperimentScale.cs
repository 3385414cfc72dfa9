namespace P2POrleans.Client.Experiments;

/// <summary>How big an experiment runs: the paper's setup, a few minutes' version, or a seconds-long check (tests).</summary>
public enum ExperimentScale
{
    Tiny = 0,
    Small = 1,
    Paper = 2,
}
