namespace P2POrleans.Unstructured;

/// <summary>A candidate the client pinged before a download: RTT (null: no answer) and transfer rate.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.ProbedHost")]
public sealed record ProbedHost(
    [property: Id(0)] int Node,
    [property: Id(1)] PeerEndpoint Endpoint,
    [property: Id(2)] double? RttMs,
    [property: Id(3)] double BytesPerSecond,
    [property: Id(4)] bool Firewalled);
