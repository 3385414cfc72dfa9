namespace P2POrleans.Common;

/// <summary>
/// Result of a key-value get (Chord, Pastry): the value (null when absent), who served it and the
/// lookup that found the key's owner (Chord's successor, Pastry's numerically closest peer).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.GetResult")]
public sealed record GetResult(
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
