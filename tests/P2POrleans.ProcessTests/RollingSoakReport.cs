namespace P2POrleans.ProcessTests;

/// <summary>
/// What a rolling soak measured for one ring: reads and writes during the soak (per second, both
/// together, in <see cref="PerSecond"/>), their wall latency, and at the end the keys lost, the keys
/// whose last acknowledged write was lost (found older), and the keys expected lost (plain replicas:
/// those whose every copy was on the silo killed, counted from the holders just before each kill).
/// </summary>
public sealed record RollingSoakReport(
    string Ring,
    int Reads,
    int Found,
    double LatencyP50Ms,
    double LatencyP99Ms,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> ExpectedLost,
    IReadOnlyList<(int Second, int Ops, int Ok)> PerSecond)
{
    public int Writes { get; init; }

    public int WritesAcked { get; init; }

    public double WriteP50Ms { get; init; }

    public double WriteP99Ms { get; init; }

    /// <summary>Keys at the end (the build's and the new ones acknowledged during the soak).</summary>
    public int Keys { get; init; }

    /// <summary>Keys found at the end with a value older than their last acknowledged write.</summary>
    public IReadOnlyList<string> WritesLost { get; init; } = [];

    /// <summary>Plain replicas: keys whose every copy of their last acknowledged write was on a silo killed while an older copy lived elsewhere (counted before each kill).</summary>
    public IReadOnlyList<string> ExpectedWritesLost { get; init; } = [];
}
