namespace P2POrleans.Client.Bench;

/// <summary>One overlay at one size, as `p2p bench` reports it (JSON field names are snake_case).</summary>
public sealed record BenchResult(
    string Protocol,
    int Peers,
    double BuildSeconds,
    int Lookups,
    double LookupsPerSecond,
    double MeanHops,
    double P99Hops,
    double MessagesPerLookup,
    double Success,
    double RatioHops,
    double RatioMessages,
    double? BytesPerPeer);
