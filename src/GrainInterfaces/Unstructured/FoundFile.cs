namespace P2POrleans.Unstructured;

/// <summary>
/// One search result: the peer that shares the file (node number and address), the file, and
/// the way the answer came back (responder first, searcher last; Napster: -1, the server, then the searcher).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.FoundFile")]
public sealed record FoundFile(
    [property: Id(0)] int Node,
    [property: Id(1)] PeerEndpoint Endpoint,
    [property: Id(2)] SharedFile File,
    [property: Id(3)] Guid ServentId,
    [property: Id(4)] uint SpeedKbps,
    [property: Id(5)] IReadOnlyList<int> PathBack);
