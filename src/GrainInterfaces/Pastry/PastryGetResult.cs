using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>Result of get: the value (null when absent), who served it and the lookup that found the numerically closest peer.</summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.GetResult")]
public sealed record PastryGetResult(
    [property: Id(0)] string? Value,
    [property: Id(1)] NodeId? ServedBy,
    [property: Id(2)] LookupResult Lookup)
{
    /// <summary>
    /// Holders asked for the key that did not answer (their silo unreachable) rather than say they are
    /// not members: with no value, the key is unavailable for now, not missing (a durable peer comes back).
    /// </summary>
    [Id(3)] public int HoldersUnreachable { get; init; }
}
