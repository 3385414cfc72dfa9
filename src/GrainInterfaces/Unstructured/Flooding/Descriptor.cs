namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// A Gnutella 0.4 descriptor: the header (descriptor id, payload type, TTL, Hops, payload length)
/// and its payload. The payload type and length are derived from <see cref="Payload"/>, so a
/// descriptor value can never disagree with itself; the codec checks them on the wire.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Descriptor")]
public sealed record Descriptor
{
    public Descriptor(Guid id, byte ttl, byte hops, DescriptorPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Id = id;
        Ttl = ttl;
        Hops = hops;
        Payload = payload;
    }

    /// <summary>16-byte GUID; the bytes are those of <see cref="Guid.TryWriteBytes(Span{byte})"/>.</summary>
    [Id(0)] public Guid Id { get; init; }

    [Id(1)] public byte Ttl { get; init; }

    [Id(2)] public byte Hops { get; init; }

    [Id(3)] public DescriptorPayload Payload { get; init; }

    public PayloadType Type => Payload.Type;
}
