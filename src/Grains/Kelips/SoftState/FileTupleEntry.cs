namespace P2POrleans.Kelips.SoftState;

/// <summary>
/// A stored filetuple: the freshest tuple seen, the round it was last superseded (refresh), and the
/// round it appeared or flipped to a tombstone (such news is gossiped first).
/// </summary>
public sealed record FileTupleEntry(FileTuple Tuple, long LastRefreshRound, long ChangedRound);
