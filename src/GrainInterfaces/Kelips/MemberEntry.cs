using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A membership entry as it travels in gossip: a peer, its heartbeat counter (Kelips section 2)
/// and <see cref="Age"/>, the rounds since the sender saw that heartbeat grow (0 for the sender's
/// own entry). The receiver counts the entry as last refreshed <see cref="Age"/> rounds ago, not
/// now, so a copy passed on is never younger than the sender's and a dead peer's entries all time
/// out about a timeout after its last heartbeat. RTT is a local measurement and never crosses the wire.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.MemberEntry")]
public sealed record MemberEntry(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] long Heartbeat,
    [property: Id(2)] int Age = 0)
{
    /// <summary>The entry of a peer last refreshed at <paramref name="lastRefreshRound"/>, as sent at <paramref name="round"/>.</summary>
    public static MemberEntry Aged(NodeId id, long heartbeat, long lastRefreshRound, long round) =>
        new(id, heartbeat, (int)Math.Clamp(round - lastRefreshRound, 0, int.MaxValue));

    /// <summary>The round a receiver at <paramref name="round"/> counts as the last refresh: never in the future.</summary>
    public long RefreshedAt(long round) => round - Math.Max(0, Age);
}
