using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A key/value pair with the key's id on the ring. <see cref="Version"/> orders the writes of one key:
/// the owner stamps it when it takes a put, and a copy never replaces a newer one (docs/chord.md, replication),
/// so a stale copy handed back by a peer that no longer holds the key cannot undo an acknowledged write.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.StoredItem")]
public sealed record StoredItem(
    [property: Id(0)] string Key,
    [property: Id(1)] NodeId KeyId,
    [property: Id(2)] string Value,
    [property: Id(3)] long Version = 0) : IStoredItem
{
    /// <summary>True when this copy should replace <paramref name="other"/>: a later version; on a tie the larger value, so every holder settles on the same one.</summary>
    public bool Supersedes(StoredItem? other) =>
        other is null || Version > other.Version || (Version == other.Version && string.CompareOrdinal(Value, other.Value) > 0);
}
