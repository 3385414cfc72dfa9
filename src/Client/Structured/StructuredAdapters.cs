namespace P2POrleans.Client.Structured;

/// <summary>The structured overlays `p2p bench` and `p2p soak` run on, one adapter each.</summary>
public static class StructuredAdapters
{
    public static IReadOnlyList<IStructuredAdapter> All { get; } = [ChordAdapter.Instance, PastryAdapter.Instance, KelipsAdapter.Instance];
}
