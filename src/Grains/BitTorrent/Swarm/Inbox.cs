using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// The batches other members sent us, each stamped with the sender's tick. Batches of different
/// senders arrive in any order (they tick concurrently); handing them out by (tick, sender) makes
/// what a member does independent of that order.
/// </summary>
public sealed class Inbox
{
    private readonly List<(long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages)> _batches = [];

    public int Count => _batches.Count;

    public void Add(PeerId from, long tick, IReadOnlyList<PeerMessage> messages) => _batches.Add((tick, from, messages));

    /// <summary>
    /// Removes and returns the batches sent before <paramref name="tick"/>, by tick then sender. The
    /// sort is stable: two batches of one sender in one tick (its flush, then its leave) keep the
    /// order it sent them in.
    /// </summary>
    public List<(long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages)> TakeSentBefore(long tick)
    {
        var ready = _batches.Where(b => b.Tick < tick)
            .OrderBy(b => b.Tick)
            .ThenBy(b => b.From.Value, StringComparer.Ordinal)
            .ToList();
        if (ready.Count > 0)
        {
            _batches.RemoveAll(b => b.Tick < tick);
        }

        return ready;
    }
}
