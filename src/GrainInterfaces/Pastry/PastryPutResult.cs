using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>Result of put: the peers holding a copy (the numerically closest first) and the lookup that found it.</summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.PutResult")]
public sealed record PastryPutResult(
    [property: Id(0)] IReadOnlyList<NodeId> StoredAt,
    [property: Id(1)] LookupResult Lookup);
