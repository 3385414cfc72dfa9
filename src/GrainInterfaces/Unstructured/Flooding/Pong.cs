
namespace P2POrleans.Unstructured.Flooding;

/// <summary>Pong (0x01), 14 bytes: port, IP address, number of files shared, kilobytes shared (spec 2.2.3).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Pong")]
public sealed record Pong : DescriptorPayload
{
    public Pong(ushort port, uint address, uint filesShared, uint kilobytesShared)
    {
        Port = port;
        Address = address;
        FilesShared = filesShared;
        KilobytesShared = kilobytesShared;
    }

    [Id(0)] public ushort Port { get; init; }

    /// <summary>IPv4, first octet in the most significant byte.</summary>
    [Id(1)] public uint Address { get; init; }

    [Id(2)] public uint FilesShared { get; init; }

    [Id(3)] public uint KilobytesShared { get; init; }

    public PeerEndpoint Endpoint => new(Address, Port);

    public override PayloadType Type => PayloadType.Pong;
}
