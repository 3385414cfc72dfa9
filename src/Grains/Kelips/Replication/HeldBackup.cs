namespace P2POrleans.Kelips.Replication;

/// <summary>A backup copy held for another home node, with the holder's round when it arrived (docs/durability.md).</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.HeldBackup")]
public sealed record HeldBackup(
    [property: Id(0)] BackupCopy Copy,
    [property: Id(1)] long ReceivedRound);
