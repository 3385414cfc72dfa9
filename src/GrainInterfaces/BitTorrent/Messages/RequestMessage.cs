namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 request of one block.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Request")]
public sealed record RequestMessage([property: Id(0)] BlockRequest Block) : PeerMessage;
