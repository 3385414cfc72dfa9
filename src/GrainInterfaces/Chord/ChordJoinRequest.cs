using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>Join the overlay through Bootstrap, or create it when Bootstrap is null.</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordJoinRequest")]
public sealed record ChordJoinRequest(
    [property: Id(0)] ChordParameters Parameters,
    [property: Id(1)] string Address,
    [property: Id(2)] NodeId? Bootstrap);
