using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>Result of get: the value (null when absent), who served it and the lookup that found the owner.</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordGetResult")]
public sealed record ChordGetResult(
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
