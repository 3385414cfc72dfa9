namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 unchoke: the sender will answer requests.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Unchoke")]
public sealed record UnchokeMessage : PeerMessage;
