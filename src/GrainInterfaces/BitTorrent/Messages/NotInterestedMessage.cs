namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 not interested.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.NotInterested")]
public sealed record NotInterestedMessage : PeerMessage;
