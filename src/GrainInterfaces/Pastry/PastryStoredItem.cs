using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>A key/value pair with the key's id (SHA-1 of the key, truncated to m bits).</summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.StoredItem")]
public sealed record PastryStoredItem(
    [property: Id(0)] string Key,
    [property: Id(1)] NodeId KeyId,
    [property: Id(2)] string Value) : IStoredItem;
