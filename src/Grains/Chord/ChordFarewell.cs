using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// What a leaving node tells its neighbours (Chord section 4.4 / ToN 5.3; <see cref="ChordJoin.Farewell"/>):
/// the successor gets the keys and the predecessor, the predecessor gets the successor list.
/// </summary>
public sealed record ChordFarewell(NodeId Self, NodeId Successor, NodeId? Predecessor, IReadOnlyList<StoredItem> Keys, IReadOnlyList<NodeId> SuccessorsForPredecessor)
{
    /// <summary>Sends both messages through the leaving node's call policy (it no longer counts them: it is not a member).</summary>
    public async Task SendAsync(PeerCalls<IChordPeer> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (Successor != Self)
        {
            await calls.TryAsync(Successor, "leave", p => p.PredecessorLeavingAsync(Self, Predecessor, Keys));
        }

        if (Predecessor is { } pred && pred != Self)
        {
            await calls.TryAsync(pred, "leave", p => p.SuccessorLeavingAsync(Self, SuccessorsForPredecessor));
        }
    }
}
