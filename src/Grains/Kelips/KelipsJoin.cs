using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// Joining (Kelips section 2: "a new node contacts any live peer and learns its group view and
/// contacts from it"). The bootstrap's answer depends on whether it shares the newcomer's group.
/// </summary>
public static class KelipsJoin
{
    /// <summary>
    /// Bootstrap side. Same group: the whole view, every contact and the group's filetuples.
    /// Another group: its contacts in the newcomer's group (the newcomer's first group mates), its
    /// own view as contacts for its group, and its other contacts. Either way the bootstrap learns
    /// the newcomer, so the news of the join starts spreading at once.
    /// </summary>
    public static JoinSnapshot CreateSnapshot(KelipsSoftState bootstrap, MemberEntry newcomer, long round)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(newcomer);
        bootstrap.Learn(newcomer, round);
        var group = bootstrap.Groups.Of(newcomer.Id);
        if (group == bootstrap.Group)
        {
            return new JoinSnapshot(
                bootstrap.Self,
                round,
                Without(bootstrap.View.Snapshot(round), newcomer.Id),
                [.. bootstrap.Contacts.All.Select(c => c.ToMemberEntry(round))],
                bootstrap.FileTuples.Snapshot());
        }

        var groupMates = bootstrap.Contacts.InGroup(group).Select(c => c.ToMemberEntry(round)).ToArray();
        var contacts = bootstrap.View.Snapshot(round)
            .Concat(bootstrap.Contacts.All.Where(c => c.Group != group).Select(c => c.ToMemberEntry(round)))
            .ToArray();
        return new JoinSnapshot(bootstrap.Self, round, Without(groupMates, newcomer.Id), contacts, []);
    }

    /// <summary>Newcomer side: merge everything (entries are filed by group, so either answer works).</summary>
    public static void Apply(KelipsSoftState newcomer, JoinSnapshot snapshot, long round)
    {
        ArgumentNullException.ThrowIfNull(newcomer);
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var entry in snapshot.GroupMembers.Concat(snapshot.Contacts))
        {
            newcomer.Learn(entry, round);
        }

        foreach (var tuple in snapshot.FileTuples)
        {
            newcomer.FileTuples.Merge(tuple, round);
        }
    }

    /// <summary>
    /// After a join through a peer of another group, the nearest group mate it named, to ask for a
    /// full snapshot of the group (view and filetuples); null when none is known or not needed.
    /// </summary>
    public static NodeId? GroupBootstrap(KelipsSoftState newcomer, JoinSnapshot snapshot) =>
        GroupBootstraps(newcomer, snapshot).Select(id => (NodeId?)id).FirstOrDefault();

    /// <summary>
    /// After a join through a peer of another group, every group mate it named, nearest first: the
    /// newcomer asks them in turn until one answers with the group's state (section 2: a new node
    /// learns its view from a live member). Under churn the nearest one named is often dead, and a
    /// newcomer that gave up after it would join with no view, known to nobody of its group.
    /// Empty when the bootstrap was of the newcomer's own group (its answer is the full state).
    /// </summary>
    public static IReadOnlyList<NodeId> GroupBootstraps(KelipsSoftState newcomer, JoinSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(newcomer);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (newcomer.Groups.Of(snapshot.Responder) == newcomer.Group)
        {
            return [];
        }

        var mates = snapshot.GroupMembers.Select(m => m.Id).ToHashSet();
        return [.. newcomer.View.OthersByRtt().Where(e => mates.Contains(e.Id)).Select(e => e.Id)];
    }

    private static MemberEntry[] Without(MemberEntry[] entries, NodeId id) => [.. entries.Where(e => e.Id != id)];
}
