using System.Collections.Immutable;

namespace P2POrleans.Pastry;

/// <summary>
/// Join the overlay: <see cref="Nearby"/> are a few members (registry picks); the joining node
/// pings them and asks the closest by RTT (node A of section 2.4) to route its join message. Empty:
/// the overlay is created with this node alone.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.JoinRequest")]
public sealed record PastryJoinRequest(
    [property: Id(0)] PastryParameters Parameters,
    [property: Id(1)] string Address,
    [property: Id(2)] ImmutableArray<P2POrleans.Common.NodeId> Nearby);
