using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A filetuple <c>(filename, home node)</c> with the heartbeat its home node bumps every round
/// (Kelips section 2). <see cref="Deleted"/> marks a tombstone: a delete spreads like an insert and
/// wins over every entry with a lower heartbeat (and over a live entry with the same heartbeat).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.FileTuple")]
public sealed record FileTuple(
    [property: Id(0)] string FileName,
    [property: Id(1)] NodeId HomeNode,
    [property: Id(2)] long Heartbeat,
    [property: Id(3)] bool Deleted = false);
