namespace P2POrleans.Pastry;

/// <summary>
/// How far a set of node states is from the ground truth of the live membership: leaf sets equal to
/// the ideal ones, routing-table entries that are live and in the right slot, and slots left empty
/// although a live candidate exists.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.TruthReport")]
public sealed record PastryTruthReport(
    [property: Id(0)] int Nodes,
    [property: Id(1)] int CorrectLeafSets,
    [property: Id(2)] long RoutingEntries,
    [property: Id(3)] long ValidEntries,
    [property: Id(4)] long MisplacedEntries,
    [property: Id(5)] long StaleEntries,
    [property: Id(6)] long SlotsWithCandidates,
    [property: Id(7)] long EmptySlotsWithCandidates)
{
    public double LeafSetCorrectFraction => Nodes == 0 ? 1 : (double)CorrectLeafSets / Nodes;

    /// <summary>Entries that are live and share exactly row digits with the owner, then the column digit.</summary>
    public double ValidEntryFraction => RoutingEntries == 0 ? 1 : (double)ValidEntries / RoutingEntries;

    /// <summary>Of the slots for which a live candidate exists, those left empty.</summary>
    public double MissingEntryFraction => SlotsWithCandidates == 0 ? 0 : (double)EmptySlotsWithCandidates / SlotsWithCandidates;
}
