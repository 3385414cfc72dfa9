
namespace P2POrleans.Unstructured.Flooding;

/// <summary>A descriptor to send to one neighbour.</summary>
public readonly record struct Outgoing(PeerEndpoint To, Descriptor Descriptor);
