
namespace P2POrleans.Unstructured;

/// <summary>
/// A file a peer shares: its index in the peer's library (the "file index" of Gnutella's QueryHit
/// and Push, and of the download URL), its size in bytes and its name.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.SharedFile")]
public sealed record SharedFile
{
    public SharedFile(uint index, uint size, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Index = index;
        Size = size;
        Name = name;
    }

    [Id(0)] public uint Index { get; init; }

    [Id(1)] public uint Size { get; init; }

    [Id(2)] public string Name { get; init; }
}
