
namespace P2POrleans.Unstructured.Flooding;

/// <summary>A descriptor that reached its destination, with the nodes it crossed (sender first, destination last).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.DeliveredDescriptor")]
public sealed record DeliveredDescriptor(
    [property: Id(0)] int Node,
    [property: Id(1)] Descriptor Descriptor,
    [property: Id(2)] IReadOnlyList<int> Path);
