namespace P2POrleans.Client.Soak;

/// <summary>
/// What the soak saw: lookups during churn (success, simulated latency percentiles, wall latency),
/// then after <see cref="SettleRounds"/> rounds without churn every key read once: keys lost.
/// </summary>
public sealed record SoakReport(
    string Overlay,
    string Protocol,
    int Rounds,
    bool StoppedByTime,
    double WallSeconds,
    int PeersAtStart,
    int PeersAtEnd,
    int Joined,
    int Failed,
    int Lookups,
    double Success,
    double LatencyP50Ms,
    double LatencyP90Ms,
    double LatencyP99Ms,
    double WallLatencyP50Ms,
    double WallLatencyP99Ms,
    double MeanHops,
    int SettleRounds,
    int Keys,
    int KeysLost,
    double SuccessAfterSettling);
