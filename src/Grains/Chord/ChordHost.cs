using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Where a <see cref="ChordNode"/> runs: how it reaches another peer (a peer grain in a silo, an
/// object of the in-memory ring in the unit tests), the call policy's settings and clock, and the
/// silo it runs on (replica placement over silos, docs/chord.md).
/// </summary>
/// <param name="Resolve">The peer of an id.</param>
/// <param name="CallOptions">The per-call timeout (<see cref="PeerCalls{TPeer}"/>).</param>
/// <param name="Time">The clock of the timeouts.</param>
/// <param name="Silo">The silo this node runs on.</param>
public sealed record ChordHost(Func<NodeId, IChordPeer> Resolve, PeerCallOptions CallOptions, TimeProvider Time, string Silo)
{
    /// <summary>
    /// A few members of the overlay that follow the given peer in id order (the peer grain asks its silo's
    /// replica of the overlay's member list, which may still name peers that died): the overlay's bootstrap,
    /// the external mechanism by which a node learns of a member to join through (Chord section 4.4), asked
    /// only by a peer that lost every successor and every finger (<see cref="ChordMaintenance.StabilizeAsync"/>).
    /// </summary>
    public Func<NodeId, Task<IReadOnlyList<NodeId>>>? Members { get; init; }
}
