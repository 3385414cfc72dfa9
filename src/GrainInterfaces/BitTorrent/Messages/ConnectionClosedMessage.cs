namespace P2POrleans.BitTorrent.Messages;

/// <summary>
/// Stands for the TCP close of a BEP 3 connection (no wire message exists): the sender left, or
/// refused the connection (full, or it banned us).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.ConnectionClosed")]
public sealed record ConnectionClosedMessage : PeerMessage;
