namespace P2POrleans.Common;

/// <summary>One step of a traced lookup: the peer contacted and the simulated RTT of that message.</summary>
[GenerateSerializer, Immutable, Alias("p2p.Hop")]
public sealed record Hop(
    [property: Id(0)] NodeId Node,
    [property: Id(1)] double RttMs,
    [property: Id(2)] string Reason);
