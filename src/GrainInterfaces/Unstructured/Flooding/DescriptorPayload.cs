namespace P2POrleans.Unstructured.Flooding;

/// <summary>The payload that follows the 23-byte descriptor header; one subtype per payload type.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.DescriptorPayload")]
public abstract record DescriptorPayload
{
    public abstract PayloadType Type { get; }
}
