
namespace P2POrleans.Unstructured;

/// <summary>One line of the Napster directory: a file and the peer (ip:port) that shares it.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.DirectoryEntry")]
public sealed record DirectoryEntry
{
    public DirectoryEntry(SharedFile file, PeerEndpoint peer)
    {
        ArgumentNullException.ThrowIfNull(file);
        File = file;
        Peer = peer;
    }

    [Id(0)] public SharedFile File { get; init; }

    [Id(1)] public PeerEndpoint Peer { get; init; }

    public string FileName => File.Name;
}
