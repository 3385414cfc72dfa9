using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// What stabilize asks of a successor: its predecessor and its successor list. Silo and
/// SuccessorSilos (the silo hosting the answering peer and each listed successor, as last learned)
/// let the asker place replicas on distinct silos (docs/durability.md); they ride on the message stabilize sends anyway.
/// StoreVersion (the answering peer's key store version) tells a peer holding copies of its keys whether the
/// store changed since it last wrote them back (docs/chord.md, "Where copies live").
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordNeighbours")]
public sealed record ChordNeighbours(
    [property: Id(0)] NodeId? Predecessor,
    [property: Id(1)] IReadOnlyList<NodeId> Successors,
    [property: Id(2)] string? Silo = null,
    [property: Id(3)] IReadOnlyList<string?>? SuccessorSilos = null,
    [property: Id(4)] long StoreVersion = 0);
