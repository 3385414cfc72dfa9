namespace P2POrleans.FastTrack;

/// <summary>
/// How reputation is scored and when it changes a peer's role. Promotion and demotion thresholds
/// differ (hysteresis), so a peer near the line does not flap between roles.
/// </summary>
public sealed record ReputationPolicy
{
    public double PointsPerHourConnected { get; init; } = 1.0;

    public double PointsPerMegabyteUploaded { get; init; } = 0.01;

    public double PromotionThreshold { get; init; } = 4.0;

    public double DemotionThreshold { get; init; } = 2.0;

    public static ReputationPolicy Default { get; } = new();
}
