namespace P2POrleans.Unstructured.Flooding;

/// <summary>Ping (0x00): no payload (spec 2.2.2).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Ping")]
public sealed record Ping : DescriptorPayload
{
    public static Ping Instance { get; } = new();

    public override PayloadType Type => PayloadType.Ping;
}
