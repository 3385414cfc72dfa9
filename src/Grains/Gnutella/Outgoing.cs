using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>A descriptor to send to one neighbour.</summary>
public readonly record struct Outgoing(PeerEndpoint To, Descriptor Descriptor);
