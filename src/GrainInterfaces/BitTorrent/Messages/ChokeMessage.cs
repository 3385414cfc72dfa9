namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 choke: the sender will not answer requests; pending ones are discarded.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Choke")]
public sealed record ChokeMessage : PeerMessage;
