using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>Who a servent is: its 16-byte servent id, the ip:port it accepts connections on, its speed in kb/s.</summary>
public sealed record ServentIdentity(Guid ServentId, PeerEndpoint Endpoint, uint Speed);
