using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A backup of a file pushed by its home node to a member of the home's own affinity group
/// (Replicas &gt; 1). <see cref="Holders"/> is the home followed by the backup holders in
/// failover order: a holder adopts the file once the home and every holder before it are gone from
/// its view. <see cref="HomeHeartbeat"/> puts the home in the holder's view (it may not have heard of
/// it yet), so a holder never adopts from a live home it merely did not know. A null <see cref="Content"/> tells the holder to drop its copy (delete, or no longer a target).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.BackupCopy")]
public sealed record BackupCopy(
    [property: Id(0)] string FileName,
    [property: Id(1)] string? Content,
    [property: Id(2)] long Heartbeat,
    [property: Id(3)] NodeId[] Holders,
    [property: Id(4)] long HomeHeartbeat = 0)
{
    public NodeId Home => Holders[0];
}
