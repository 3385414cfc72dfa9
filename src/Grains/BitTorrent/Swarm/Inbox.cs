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
        var ready = new List<(long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages)>(_batches.Count);
        TakeSentBefore(tick, ready);
        return ready;
    }

    /// <summary>As <see cref="TakeSentBefore(long)"/>, into <paramref name="ready"/> (emptied first): a member reuses one list every tick.</summary>
    public void TakeSentBefore(long tick, List<(long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages)> ready)
    {
        ready.Clear();
        var kept = 0;
        foreach (var batch in _batches)
        {
            if (batch.Tick < tick)
            {
                // Insertion sort, stable: a batch goes after every one that does not sort after it.
                var at = ready.Count;
                while (at > 0 && SortsAfter(ready[at - 1], batch))
                {
                    at--;
                }

                ready.Insert(at, batch);
            }
            else
            {
                _batches[kept++] = batch;
            }
        }

        _batches.RemoveRange(kept, _batches.Count - kept);
    }

    private static bool SortsAfter((long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages) a, (long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages) b) =>
        a.Tick != b.Tick ? a.Tick > b.Tick : string.CompareOrdinal(a.From.Value, b.From.Value) > 0;
}
