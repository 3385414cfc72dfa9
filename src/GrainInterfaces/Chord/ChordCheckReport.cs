namespace P2POrleans.Chord;

/// <summary>
/// Ground truth against the ideal ring of live members: fraction of correct pointers, and of key
/// copies found at the owner and its Replicas - 1 successors.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordCheckReport")]
public sealed record ChordCheckReport(
    [property: Id(0)] int Peers,
    [property: Id(1)] double SuccessorsCorrect,
    [property: Id(2)] double SuccessorListsCorrect,
    [property: Id(3)] double PredecessorsCorrect,
    [property: Id(4)] double FingersCorrect,
    [property: Id(5)] int DistinctKeys,
    [property: Id(6)] int KeysAtOwner,
    [property: Id(7)] long ReplicaCopiesExpected,
    [property: Id(8)] long ReplicaCopiesPresent)
{
    public bool RingCorrect => SuccessorsCorrect >= 1.0 && PredecessorsCorrect >= 1.0;
}
