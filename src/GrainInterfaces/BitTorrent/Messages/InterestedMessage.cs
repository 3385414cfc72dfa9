namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 interested: the sender wants pieces the receiver has.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Interested")]
public sealed record InterestedMessage : PeerMessage;
