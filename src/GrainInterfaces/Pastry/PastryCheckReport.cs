namespace P2POrleans.Pastry;

/// <summary>
/// Ground truth of a Pastry overlay: the state report of <see cref="Truth"/> (leaf sets, routing
/// entries) and key placement — copies found on the k numerically closest live peers.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.CheckReport")]
public sealed record PastryCheckReport(
    [property: Id(0)] PastryTruthReport Truth,
    [property: Id(1)] int DistinctKeys,
    [property: Id(2)] int KeysAtOwner,
    [property: Id(3)] long ReplicaCopiesExpected,
    [property: Id(4)] long ReplicaCopiesPresent)
{
    public int Peers => Truth.Nodes;

    /// <summary>Every leaf set exact and every routing entry live and well placed.</summary>
    public bool StateCorrect => Truth.CorrectLeafSets == Truth.Nodes && Truth.StaleEntries == 0 && Truth.MisplacedEntries == 0;

    public bool KeysInPlace => ReplicaCopiesPresent == ReplicaCopiesExpected;
}
