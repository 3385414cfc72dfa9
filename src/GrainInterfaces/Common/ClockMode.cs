namespace P2POrleans.Common;

/// <summary>How an overlay's periodic work runs (docs/architecture.md section 5).</summary>
public enum ClockMode
{
    /// <summary>The driver advances rounds with `step`; every live peer runs its periodic work once per round.</summary>
    Stepped = 0,

    /// <summary>Grain timers at the configured period (the service mode).</summary>
    Live = 1,
}
