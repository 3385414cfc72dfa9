using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>A snapshot of one peer's routing state, for `ring`, `fingers`, checks and converged builds; Silo hosts the peer now.</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordPeerState")]
public sealed record ChordPeerState(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] string Address,
    [property: Id(2)] NodeId? Predecessor,
    [property: Id(3)] IReadOnlyList<NodeId> Successors,
    [property: Id(4)] IReadOnlyList<FingerRun> Fingers,
    [property: Id(5)] int Keys,
    [property: Id(6)] int PrimaryKeys,
    [property: Id(7)] long LookupMessages,
    [property: Id(8)] long MaintenanceMessages,
    [property: Id(9)] string? Silo = null);
