using P2POrleans.Unstructured;

namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// The outcome of one simulated Push: whether it reached the servent it names, the path it took
/// (requester first) and the address that servent is asked to connect out to (GIV).
/// </summary>
public sealed record PushResult(bool Delivered, IReadOnlyList<int> Path, long Messages, PeerEndpoint ConnectBackTo);
