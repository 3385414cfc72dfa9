namespace P2POrleans.Kelips.SoftState;

/// <summary>
/// The gossip merge order of Kelips soft state (section 2.1: "entries carry heartbeat counts; a
/// node keeps the freshest"). Each order is total, so merging is taking a maximum: commutative,
/// associative and idempotent whatever order gossip arrives in.
/// </summary>
public static class KelipsMerge
{
    /// <summary>True when <paramref name="incoming"/> is strictly newer than <paramref name="current"/> for the same peer.</summary>
    public static bool Supersedes(MemberEntry incoming, MemberEntry current)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(current);
        return incoming.Heartbeat > current.Heartbeat;
    }

    /// <summary>
    /// True when <paramref name="incoming"/> is strictly newer than <paramref name="current"/> for
    /// the same file: higher heartbeat; at equal heartbeat a tombstone beats a live tuple (so a
    /// delete wins over everything it has seen); then the larger home node id, a tie-break that
    /// only matters if two peers upload the same name and keeps the order total.
    /// </summary>
    public static bool Supersedes(FileTuple incoming, FileTuple current)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(current);
        if (incoming.Heartbeat != current.Heartbeat)
        {
            return incoming.Heartbeat > current.Heartbeat;
        }

        if (incoming.Deleted != current.Deleted)
        {
            return incoming.Deleted;
        }

        return incoming.HomeNode > current.HomeNode;
    }

    public static MemberEntry Max(MemberEntry a, MemberEntry b) => Supersedes(b, a) ? b : a;

    public static FileTuple Max(FileTuple a, FileTuple b) => Supersedes(b, a) ? b : a;
}
