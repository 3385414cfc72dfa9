using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Piece messages that arrived but wait for download capacity, as bytes wait on a saturated link.
/// Each call takes up to the capacity of the elapsed time, one message per sender in turn; capacity
/// overdrawn by the last message is paid back from the next call (a token bucket without burst).
/// </summary>
public sealed class DownloadQueue
{
    // A sender's queue stays when it empties, so the queues and the sorted order of senders are not built again every
    // tick; _waiting counts the queues that hold something.
    private readonly SortedPeerMap<Queue<PieceMessage>> _pending = new();
    private int _waiting;
    private double _credit;

    public bool IsEmpty => _waiting == 0;

    public void Enqueue(PeerId from, PieceMessage piece)
    {
        if (!_pending.TryGetValue(from, out var queue))
        {
            queue = new Queue<PieceMessage>();
            _pending[from] = queue;
        }

        if (queue.Count == 0)
        {
            _waiting++;
        }

        queue.Enqueue(piece);
    }

    /// <summary>Forgets what <paramref name="from"/> sent (it was banned).</summary>
    public void Drop(PeerId from)
    {
        if (_pending.TryGetValue(from, out var queue) && queue.Count > 0)
        {
            _waiting--;
        }

        _pending.Remove(from);
    }

    /// <summary>
    /// Hands messages to <paramref name="take"/> round robin over senders until <paramref name="allowance"/>
    /// bytes (plus any debt from before) are used. <paramref name="take"/> may <see cref="Drop"/> a sender.
    /// </summary>
    public void Take(double allowance, Action<PeerId, PieceMessage> take)
    {
        var budget = _credit + allowance;
        while (budget > 0 && _waiting > 0)
        {
            var senders = _pending.Keys;
            for (var i = 0; i < senders.Count; i++)
            {
                if (budget <= 0)
                {
                    break;
                }

                var from = senders[i];
                if (!_pending.TryGetValue(from, out var queue) || queue.Count == 0)
                {
                    continue; // nothing waits, or dropped while this round went on
                }

                var piece = queue.Dequeue();
                if (queue.Count == 0)
                {
                    _waiting--;
                }

                budget -= piece.Data.Length;
                take(from, piece);
            }
        }

        _credit = Math.Min(budget, 0);
    }
}
