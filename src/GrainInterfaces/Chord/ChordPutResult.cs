using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>Result of put: the peers holding a copy (owner first) and the lookup that found the owner.</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordPutResult")]
public sealed record ChordPutResult(
    [property: Id(0)] IReadOnlyList<NodeId> StoredAt,
    [property: Id(1)] LookupResult Lookup);
