namespace P2POrleans.Unstructured.Flooding;

/// <summary>Pong (0x01), 14 bytes: port, IP address (first octet in the most significant byte), number of files shared, kilobytes shared (spec 2.2.3).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Pong")]
public sealed record Pong(
    [property: Id(0)] ushort Port,
    [property: Id(1)] uint Address,
    [property: Id(2)] uint FilesShared,
    [property: Id(3)] uint KilobytesShared) : DescriptorPayload
{
    public PeerEndpoint Endpoint => new(Address, Port);

    public override PayloadType Type => PayloadType.Pong;
}
