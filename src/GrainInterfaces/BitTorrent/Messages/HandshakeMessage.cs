namespace P2POrleans.BitTorrent.Messages;

/// <summary>
/// BEP 3 handshake: opens a connection for one torrent (the protocol string and reserved bytes
/// carry nothing here). The initiator sends it with its bitfield; the acceptor answers the same.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Handshake")]
public sealed record HandshakeMessage([property: Id(0)] InfoHash InfoHash) : PeerMessage;
