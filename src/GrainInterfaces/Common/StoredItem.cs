namespace P2POrleans.Common;

/// <summary>
/// A key/value pair with the key's id in the overlay's id space (the SHA-1 of the key truncated to m
/// bits: Chord section 4.2, Pastry section 3.1), as the distributed hash tables store, replicate and
/// persist it. Chord and Pastry once had a type each, with the same fields: their durable records
/// hold these in a list of the declared type, where the serializer writes no type name, so records
/// written with either old type still load (StoredItemRecordTests).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.StoredItem")]
public sealed record StoredItem(
    [property: Id(0)] string Key,
    [property: Id(1)] NodeId KeyId,
    [property: Id(2)] string Value);
