using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// What a peer looked like when every copy it held of another owner's key was last found in place
/// (<see cref="ChordReplication.DropCopiesHeldElsewhereAsync"/>): its store version, predecessor and
/// successors, and the rounds since. A class made at the first settled check, so a peer that never
/// held a copy pays one reference (docs/bench.md, memory).
/// </summary>
public sealed class ChordCopiesCheck(long storeVersion, NodeId? predecessor, NodeId[] successors)
{
    public long StoreVersion { get; } = storeVersion;

    public NodeId? Predecessor { get; } = predecessor;

    public IReadOnlyList<NodeId> Successors { get; } = successors;

    public int Rounds { get; set; }
}
