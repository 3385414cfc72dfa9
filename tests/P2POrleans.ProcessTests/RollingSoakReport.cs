namespace P2POrleans.ProcessTests;

/// <summary>
/// What a rolling soak measured for one ring: reads during the soak (per second, in <see cref="PerSecond"/>),
/// their wall latency, and at the end the keys lost and the keys expected lost (plain replicas: those whose
/// every copy was on the silo killed, counted from the holders just before each kill).
/// </summary>
public sealed record RollingSoakReport(
    string Ring,
    int Reads,
    int Found,
    double LatencyP50Ms,
    double LatencyP99Ms,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> ExpectedLost,
    IReadOnlyList<(int Second, int Reads, int Found)> PerSecond);
