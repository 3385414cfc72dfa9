using P2POrleans.BitTorrent.Messages;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent;

/// <summary>
/// One member of a swarm (key "&lt;overlay&gt;/&lt;id hex&gt;"). On simulated time the BEP 3 peer wire
/// messages travel as <see cref="SwarmBatch"/>es: everything one peer sends another in a tick, in
/// order, with the real block bytes, returned in the sender's tick report and handed to the receiver
/// by the swarm's driver with the receiver's next <see cref="RunTickAsync"/> (or <see cref="DeliverAsync"/>) —
/// one call per receiver per tick, not one per connection.
/// </summary>
public interface ISwarmPeerGrain : IOverlayPeer
{
    /// <summary>Joins the swarm: loads the content (seeds), announces "started" and opens connections.</summary>
    Task<PeerTickReport> StartAsync(SwarmPeerConfig config);

    /// <summary>What other members sent in their last tick (handled in our next), and the peers we could not reach.</summary>
    Task DeliverAsync(SwarmDelivery delivery);

    /// <summary>
    /// One tick of simulated time: take <paramref name="delivered"/> (what other members sent in their last
    /// tick, as <see cref="DeliverAsync"/> would), handle arrivals, rechoke on schedule, upload and request
    /// within capacity; the report carries what was sent.
    /// </summary>
    Task<PeerTickReport> RunTickAsync(long tick, SwarmDelivery delivered);

    /// <summary>Asks the tracker for more peers (the driver calls it, one member at a time, when a report asked).</summary>
    Task ReannounceAsync(long tick);

    Task<SwarmPeerStatus> GetStatusAsync();

    /// <summary>What a driver activated again after its silo died rebuilds its count from; the torrent only when asked.</summary>
    Task<SwarmMemberSnapshot> SnapshotAsync(bool withTorrent);

    /// <summary>The bytes of a verified piece (to rebuild the file); throws when not held.</summary>
    Task<PieceMessage> ReadPieceAsync(int piece);

    /// <summary>
    /// Goes on the wire (<see cref="SwarmPeerConfig.Wire"/>): listens on its endpoint, speaks BEP 3 over
    /// TCP in real time and announces to the HTTP tracker. A seed started on simulated time keeps its
    /// pieces. Returns the endpoint it listens on.
    /// </summary>
    Task<string> ServeAsync(SwarmPeerConfig config);

    /// <summary>On the wire: opens a connection to a peer (e.g. an outside client) unless already connected.</summary>
    Task DialAsync(string host, int port);

    /// <summary>From the member's own sockets: both handshakes done on a connection.</summary>
    Task WireConnectedAsync(int connection, byte[] remoteId, string endpoint, bool incoming);

    /// <summary>From the member's own sockets: messages decoded on a connection, in order.</summary>
    Task WireReceivedAsync(int connection, IReadOnlyList<PeerMessage> messages);

    /// <summary>From the member's own sockets: a connection ended.</summary>
    Task WireClosedAsync(int connection, WireCloseReason reason);
}
