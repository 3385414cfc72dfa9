namespace P2POrleans.Gnutella;

/// <summary>The payload that follows the 23-byte descriptor header; one subtype per payload type.</summary>
[GenerateSerializer, Immutable, Alias("p2p.gnutella.DescriptorPayload")]
public abstract record DescriptorPayload
{
    public abstract PayloadType Type { get; }
}
