using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// A QueryHit delivered to the searcher: the node that owns the files (<see cref="Responder"/>),
/// the hit, and the nodes it travelled through, from the node that sent it to the searcher.
/// </summary>
public sealed record SimulatedHit(int Responder, QueryHit Hit, IReadOnlyList<int> Path);
