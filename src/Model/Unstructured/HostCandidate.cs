
namespace P2POrleans.Unstructured;

/// <summary>
/// A peer holding the wanted file, as measured by the client's ping: its round-trip time (null
/// when it did not answer) and its transfer rate in bytes per second.
/// </summary>
public sealed record HostCandidate(PeerEndpoint Peer, TimeSpan? Rtt, double TransferRate);
