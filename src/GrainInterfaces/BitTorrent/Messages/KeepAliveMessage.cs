namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 keep-alive: sent on an otherwise idle connection, so a dead peer is noticed.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.KeepAlive")]
public sealed record KeepAliveMessage : PeerMessage;
