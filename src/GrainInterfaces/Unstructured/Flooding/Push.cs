
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// Push (0x40), 26 bytes: servent id of the (firewalled) servent asked to push, the file index,
/// and the IP address and port of the requester, to which that servent connects out (spec 2.2.6).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Push")]
public sealed record Push : DescriptorPayload
{
    public Push(Guid serventId, uint fileIndex, uint address, ushort port)
    {
        ServentId = serventId;
        FileIndex = fileIndex;
        Address = address;
        Port = port;
    }

    [Id(0)] public Guid ServentId { get; init; }

    [Id(1)] public uint FileIndex { get; init; }

    [Id(2)] public uint Address { get; init; }

    [Id(3)] public ushort Port { get; init; }

    public PeerEndpoint Endpoint => new(Address, Port);

    public override PayloadType Type => PayloadType.Push;
}
