using P2POrleans.BitTorrent.Messages;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent;

/// <summary>
/// One member of a swarm (key "&lt;overlay&gt;/&lt;id hex&gt;"). The BEP 3 peer wire messages travel in
/// <see cref="DeliverAsync"/>: everything one peer sends another in a tick, in order, as one call
/// (a TCP segment's worth) carrying the real block bytes.
/// </summary>
public interface ISwarmPeerGrain : IOverlayPeer
{
    /// <summary>Joins the swarm: loads the content (seeds), announces "started" and opens connections.</summary>
    Task<PeerTickReport> StartAsync(SwarmPeerConfig config);

    /// <summary>Messages <paramref name="from"/> sent during its tick <paramref name="tick"/>; handled in our next tick.</summary>
    Task DeliverAsync(PeerId from, long tick, IReadOnlyList<PeerMessage> messages);

    /// <summary>One tick of simulated time: handle arrivals, rechoke on schedule, upload and request within capacity.</summary>
    Task<PeerTickReport> RunTickAsync(long tick);

    /// <summary>Asks the tracker for more peers (the driver calls it, one member at a time, when a report asked).</summary>
    Task ReannounceAsync(long tick);

    Task<SwarmPeerStatus> GetStatusAsync();

    /// <summary>The bytes of a verified piece (to rebuild the file); throws when not held.</summary>
    Task<PieceMessage> ReadPieceAsync(int piece);
}
