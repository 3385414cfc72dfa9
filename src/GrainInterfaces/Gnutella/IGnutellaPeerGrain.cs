using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Gnutella;

/// <summary>
/// A Gnutella 0.4 servent (key "&lt;overlay&gt;/&lt;node&gt;"). Neighbours exchange encoded descriptors
/// (<see cref="IFloodNodeGrain"/>); a servent that is not a member throws <see cref="PeerUnreachableException"/>.
/// Leave: every neighbour is told to close the link. Fail: state dropped; neighbours find out when they next send.
/// A firewalled servent refuses <see cref="IUnstructuredPeer.DownloadAsync"/>: the requester sends a Push.
/// </summary>
public interface IGnutellaPeerGrain : IUnstructuredPeer, IFloodNodeGrain
{
    Task InitAsync(ServentSetup setup);

    /// <summary>Opens a link (both ends call it: a Gnutella connection is symmetric).</summary>
    Task ConnectAsync(int neighbour);

    /// <summary>The neighbour closed the link (Bye).</summary>
    Task DisconnectAsync(int neighbour);

    /// <summary>Originates a Query with the TTL (default: the overlay's) and runs its flood to the end.</summary>
    Task<QueryOutcome> QueryAsync(string text, int? ttl);

    /// <summary>Originates a Ping and runs its flood; Reached are the peers that processed it, Hits is empty.</summary>
    Task<QueryOutcome> PingAsync(int? ttl);

    /// <summary>Query, probe the hosts, download from the best: directly, or by Push when it is firewalled.</summary>
    Task<FetchOutcome> FetchAsync(string text, int? ttl);

    /// <summary>A firewalled servent that got a Push connects out and sends the file (GIV).</summary>
    Task GivAsync(Guid serventId, SharedFile file, int from);
}
