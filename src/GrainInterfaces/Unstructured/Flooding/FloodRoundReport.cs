
namespace P2POrleans.Unstructured.Flooding;

/// <summary>What one peer did in one flood round: whom it sent to, what, and what it accepted or received.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.FloodRoundReport")]
public sealed record FloodRoundReport(
    [property: Id(0)] int Node,
    [property: Id(1)] IReadOnlyList<int> Recipients,
    [property: Id(2)] DescriptorCounts Sent,
    [property: Id(3)] bool AcceptedOrigin,
    [property: Id(4)] IReadOnlyList<DeliveredDescriptor> Delivered,
    [property: Id(5)] int Rejected,
    [property: Id(6)] IReadOnlyList<int> DeadNeighbours)
{
    public static FloodRoundReport Empty(int node) => new(node, [], DescriptorCounts.Zero, false, [], 0, []);
}
