using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>What a servent grain starts with: its overlay's parameters, its number, links, files and whether it is firewalled.</summary>
[GenerateSerializer, Immutable, Alias("p2p.gnutella.ServentSetup")]
public sealed record ServentSetup(
    [property: Id(0)] GnutellaParameters Parameters,
    [property: Id(1)] int Node,
    [property: Id(2)] IReadOnlyList<int> Neighbours,
    [property: Id(3)] IReadOnlyList<SharedFile> Files,
    [property: Id(4)] bool Firewalled);
