using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>A key/value pair with the key's id on the ring.</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.StoredItem")]
public sealed record StoredItem(
    [property: Id(0)] string Key,
    [property: Id(1)] NodeId KeyId,
    [property: Id(2)] string Value) : IStoredItem;
