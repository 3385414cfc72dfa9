namespace P2POrleans.Unstructured;

/// <summary>One line of a directory (Napster's server, a FastTrack supernode): a file and the peer (ip:port) that shares it.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.DirectoryEntry")]
public sealed record DirectoryEntry(SharedFile File, [property: Id(1)] PeerEndpoint Peer)
{
    [Id(0)] public SharedFile File { get; init; } = File ?? throw new ArgumentNullException(nameof(File));

    public string FileName => File.Name;
}
