namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 have: the sender has completed and verified this piece.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Have")]
public sealed record HaveMessage([property: Id(0)] int Piece) : PeerMessage;
