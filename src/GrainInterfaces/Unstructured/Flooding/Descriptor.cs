namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// A Gnutella 0.4 descriptor: the header (descriptor id, payload type, TTL, Hops, payload length)
/// and its payload. The payload type and length are derived from <see cref="Payload"/>, so a
/// descriptor value can never disagree with itself; the codec checks them on the wire. The id is a
/// 16-byte GUID whose bytes are those of <see cref="Guid.TryWriteBytes(Span{byte})"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Descriptor")]
public sealed record Descriptor([property: Id(0)] Guid Id, [property: Id(1)] byte Ttl, [property: Id(2)] byte Hops, DescriptorPayload Payload)
{
    [Id(3)] public DescriptorPayload Payload { get; init; } = Payload ?? throw new ArgumentNullException(nameof(Payload));

    public PayloadType Type => Payload.Type;
}
