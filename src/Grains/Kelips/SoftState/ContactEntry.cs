using P2POrleans.Common;

namespace P2POrleans.Kelips.SoftState;

/// <summary>A contact in a foreign affinity group (section 2), with the same soft-state fields as a view entry.</summary>
public sealed record ContactEntry(NodeId Id, int Group, long Heartbeat, double RttMs, long LastRefreshRound, long FirstSeenRound)
{
    /// <summary>The wire entry as sent at <paramref name="round"/>: its age is the rounds since its heartbeat last grew here.</summary>
    public MemberEntry ToMemberEntry(long round) => MemberEntry.Aged(Id, Heartbeat, LastRefreshRound, round);
}
