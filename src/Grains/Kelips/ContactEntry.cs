using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>A contact in a foreign affinity group (section 2), with the same soft-state fields as a view entry.</summary>
public sealed record ContactEntry(NodeId Id, int Group, long Heartbeat, double RttMs, long LastRefreshRound, long FirstSeenRound)
{
    public MemberEntry ToMemberEntry() => new(Id, Heartbeat);
}
