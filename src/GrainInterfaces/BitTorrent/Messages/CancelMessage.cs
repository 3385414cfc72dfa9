namespace P2POrleans.BitTorrent.Messages;

/// <summary>BEP 3 cancel of an earlier request (sent in endgame when a duplicate arrived elsewhere).</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Cancel")]
public sealed record CancelMessage([property: Id(0)] BlockRequest Block) : PeerMessage;
