namespace P2POrleans.BitTorrent.Wire;

/// <summary>One open peer wire connection of a member, after both handshakes.</summary>
public sealed record WireLink(int Connection, PeerId Peer, byte[] RemoteId, string Endpoint, bool Incoming, bool Outside, string Client);
