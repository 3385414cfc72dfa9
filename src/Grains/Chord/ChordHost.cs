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
    /// A few members of the overlay other than the given peer, believed live (the peer grain asks its silo's
    /// replica of the overlay's member list): the "arbitrary node n' in the network" a peer joins through
    /// (Chord figure 6), asked only by a peer that lost every successor and every other contact (<see cref="ChordJoin.RejoinAsync"/>).
    /// </summary>
    public Func<NodeId, Task<IReadOnlyList<NodeId>>>? Members { get; init; }
}
