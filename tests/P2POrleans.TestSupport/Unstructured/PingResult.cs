using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>The outcome of one simulated Ping: nodes that processed it, link transmissions, Pongs received.</summary>
public sealed record PingResult(IReadOnlySet<int> Reached, long Messages, IReadOnlyList<Pong> Pongs);
