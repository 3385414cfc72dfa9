using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Socket events of a member's <see cref="WireSession"/> as calls to its own grain, so that the
/// engine only ever runs inside a grain turn (one at a time), never on a socket's thread.
/// </summary>
internal sealed class SwarmPeerWireEvents(ISwarmPeerGrain self) : IWireEvents
{
    public Task ConnectedAsync(int connection, byte[] remoteId, string endpoint, bool incoming) => self.WireConnectedAsync(connection, remoteId, endpoint, incoming);

    public Task ReceivedAsync(int connection, IReadOnlyList<PeerMessage> messages) => self.WireReceivedAsync(connection, messages);

    public Task ClosedAsync(int connection, WireCloseReason reason) => self.WireClosedAsync(connection, reason);
}
