
namespace P2POrleans.Unstructured;

/// <summary>
/// Who a servent is: its 16-byte servent id (the one QueryHit and Push carry), the ip:port it
/// accepts connections on, and its speed in kb/s. A FastTrack child sends it to its supernode.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.ServentIdentity")]
public sealed record ServentIdentity
{
    public ServentIdentity(Guid serventId, PeerEndpoint endpoint, uint speed)
    {
        ServentId = serventId;
        Endpoint = endpoint;
        Speed = speed;
    }

    [Id(0)] public Guid ServentId { get; init; }

    [Id(1)] public PeerEndpoint Endpoint { get; init; }

    [Id(2)] public uint Speed { get; init; }
}
