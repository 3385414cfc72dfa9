namespace P2POrleans.Unstructured;

/// <summary>
/// Who a servent is: its 16-byte servent id (the one QueryHit and Push carry), the ip:port it
/// accepts connections on, and its speed in kb/s. A FastTrack child sends it to its supernode.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.ServentIdentity")]
public sealed record ServentIdentity(
    [property: Id(0)] Guid ServentId,
    [property: Id(1)] PeerEndpoint Endpoint,
    [property: Id(2)] uint Speed);
