namespace P2POrleans.BitTorrent.Messages;

/// <summary>
/// BEP 3 bitfield, sent first after the handshake: the high bit of the first byte is piece 0,
/// spare bits at the end are zero.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.Bitfield")]
public sealed record BitfieldMessage([property: Id(0)] byte[] Bits) : PeerMessage;
