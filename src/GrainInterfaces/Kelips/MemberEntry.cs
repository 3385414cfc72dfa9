using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A membership entry as it travels in gossip: a peer and its heartbeat counter (Kelips section 2).
/// RTT and the round of last refresh are local measurements and never cross the wire.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.MemberEntry")]
public sealed record MemberEntry(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] long Heartbeat);
