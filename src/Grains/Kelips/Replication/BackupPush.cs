using P2POrleans.Common;

namespace P2POrleans.Kelips.Replication;

/// <summary>
/// What a home node owes for one file this round (docs/durability.md): the copy to store at
/// <see cref="Targets"/> (the holders after the home, in failover order) and the former holders
/// told to drop theirs. A deleted or no longer hosted file has no targets and a null content.
/// </summary>
public sealed record BackupPush(BackupCopy Copy, IReadOnlyList<NodeId> Targets, IReadOnlyList<NodeId> Dropped);
