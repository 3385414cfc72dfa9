namespace P2POrleans.BitTorrent.Messages;

/// <summary>
/// The peer wire protocol messages of BEP 3 (keep-alive and port omitted), carried as grain-call
/// arguments between swarm members instead of length-prefixed frames on a TCP stream.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.PeerMessage")]
public abstract record PeerMessage;
