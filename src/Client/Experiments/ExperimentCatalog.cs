namespace P2POrleans.Client.Experiments;

/// <summary>Every experiment `p2p experiment list` shows.</summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new ChordPathLengthExperiment(),
        new ChordLoadBalanceExperiment(),
        new ChordFailuresExperiment(),
        new ChordChurnExperiment(),
        new KelipsMemoryExperiment(),
        new KelipsChurnExperiment(),
        new GnutellaTtlExperiment(),
        new PastryHopsExperiment(),
        new PastryStretchExperiment(),
        new BitTorrentPiecesExperiment(),
        new BitTorrentFreeRidersExperiment(),
        new TradeoffExperiment(),
    ];

    public static IExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
