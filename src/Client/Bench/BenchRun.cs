namespace P2POrleans.Client.Bench;

/// <summary>A whole `p2p bench` run: where it ran, the baseline, and one result per overlay and size.</summary>
public sealed record BenchRun(
    DateTimeOffset Started,
    int ProcessorCount,
    string Runtime,
    string Os,
    bool SiloInProcess,
    int LookupsPerSize,
    BenchBaseline Baseline,
    IReadOnlyList<BenchResult> Results);
