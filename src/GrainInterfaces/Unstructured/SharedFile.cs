namespace P2POrleans.Unstructured;

/// <summary>
/// A file a peer shares: its index in the peer's library (the "file index" of Gnutella's QueryHit
/// and Push, and of the download URL), its size in bytes and its name.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.SharedFile")]
public sealed record SharedFile([property: Id(0)] uint Index, [property: Id(1)] uint Size, string Name)
{
    [Id(2)] public string Name { get; init; } = Name ?? throw new ArgumentNullException(nameof(Name));
}
