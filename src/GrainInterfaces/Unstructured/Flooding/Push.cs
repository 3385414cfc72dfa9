namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// Push (0x40), 26 bytes: servent id of the (firewalled) servent asked to push, the file index,
/// and the IP address and port of the requester, to which that servent connects out (spec 2.2.6).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Push")]
public sealed record Push(
    [property: Id(0)] Guid ServentId,
    [property: Id(1)] uint FileIndex,
    [property: Id(2)] uint Address,
    [property: Id(3)] ushort Port) : DescriptorPayload
{
    public PeerEndpoint Endpoint => new(Address, Port);

    public override PayloadType Type => PayloadType.Push;
}
