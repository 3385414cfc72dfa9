using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// What a <see cref="WireSession"/> reports about its connections, in order per connection: at most
/// one connected (both handshakes done), then messages, then exactly one closed.
/// </summary>
public interface IWireEvents
{
    Task ConnectedAsync(int connection, byte[] remoteId, string endpoint, bool incoming);

    Task ReceivedAsync(int connection, IReadOnlyList<PeerMessage> messages);

    Task ClosedAsync(int connection, WireCloseReason reason);
}
