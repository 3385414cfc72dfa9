namespace P2POrleans.Common;

/// <summary>
/// A key/value pair with the key's id in the overlay's id space (the SHA-1 of the key truncated to m
/// bits: Chord section 4.2, Pastry section 3.1), as the distributed hash tables store, replicate and
/// persist it. Chord and Pastry once had a type each, with the same fields: their durable records
/// hold these in a list of the declared type, where the serializer writes no type name, so records
/// written with either old type still load (StoredItemRecordTests).
/// <see cref="Version"/> orders the writes of one key in Chord: the owner stamps it when it takes a put,
/// and a copy never replaces a newer one (docs/chord.md, replication), so a stale copy handed back by a
/// peer that no longer holds the key cannot undo an acknowledged write. Pastry leaves it 0.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.StoredItem")]
public sealed record StoredItem(
    [property: Id(0)] string Key,
    [property: Id(1)] NodeId KeyId,
    [property: Id(2)] string Value,
    [property: Id(3)] long Version = 0)
{
    /// <summary>True when this copy should replace <paramref name="other"/>: a later version; on a tie the larger value, so every holder settles on the same one.</summary>
    public bool Supersedes(StoredItem? other) =>
        other is null || Version > other.Version || (Version == other.Version && string.CompareOrdinal(Value, other.Value) > 0);
}
