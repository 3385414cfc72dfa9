using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A peer's answer to "where next for this key?": either the owner is known (the key lies between
/// the peer and its successor; Successors lists the fallbacks), or the closest preceding node to ask
/// next (Successors is then empty: nothing reads it, and sending it would cost every hop a copy).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordNextStep")]
public sealed record ChordNextStep(
    [property: Id(0)] bool IsOwner,
    [property: Id(1)] NodeId Node,
    [property: Id(2)] IReadOnlyList<NodeId> Successors);
