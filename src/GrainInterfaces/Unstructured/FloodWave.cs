namespace P2POrleans.Unstructured;

/// <summary>
/// One round of a flood as its originator saw it: the peers that took the originated descriptor for
/// the first time in that round (round r = r hops from the origin, every link taking one round) and
/// the messages sent on all links during it (QueryHits on their way back included).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.FloodWave")]
public sealed record FloodWave(
    [property: Id(0)] int Round,
    [property: Id(1)] IReadOnlyList<int> Reached,
    [property: Id(2)] long Messages);
