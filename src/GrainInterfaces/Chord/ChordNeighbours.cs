using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>What stabilize asks of a successor: its predecessor and its successor list.</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordNeighbours")]
public sealed record ChordNeighbours(
    [property: Id(0)] NodeId? Predecessor,
    [property: Id(1)] IReadOnlyList<NodeId> Successors);
