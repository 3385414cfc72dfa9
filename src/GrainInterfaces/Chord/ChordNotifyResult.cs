using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>Reply to notify: the keys that now belong to the notifier (it became our predecessor).</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordNotifyResult")]
public sealed record ChordNotifyResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] IReadOnlyList<StoredItem> Keys,
    [property: Id(2)] NodeId? PreviousPredecessor);
