using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>A descriptor that reached its destination node, with the nodes it crossed (sender first, destination last).</summary>
public sealed record FloodDelivery(int Node, Descriptor Descriptor, IReadOnlyList<int> Path);
