using P2POrleans.Common;

namespace P2POrleans.Kelips.SoftState;

/// <summary>
/// One member of the affinity group view (section 2): its heartbeat, the RTT measured to it, the
/// round its heartbeat last grew, and the round it was first seen (new members are gossiped first).
/// </summary>
public sealed record ViewEntry(NodeId Id, long Heartbeat, double RttMs, long LastRefreshRound, long FirstSeenRound)
{
    /// <summary>The wire entry as sent at <paramref name="round"/>: its age is the rounds since its heartbeat last grew here.</summary>
    public MemberEntry ToMemberEntry(long round) => MemberEntry.Aged(Id, Heartbeat, LastRefreshRound, round);
}
