namespace P2POrleans.Common;

/// <summary>
/// Result of a key-value put (Chord, Pastry): the peers holding a copy, the key's owner first (Chord's
/// successor, Pastry's numerically closest peer), and the lookup that found it.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.PutResult")]
public sealed record PutResult(
    [property: Id(0)] IReadOnlyList<NodeId> StoredAt,
    [property: Id(1)] LookupResult Lookup);
