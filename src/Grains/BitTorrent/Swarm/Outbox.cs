using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// The messages a member queued during one tick, per receiver, sent together at its end (by peer id, so in a fixed order).
/// A receiver's list stays from tick to tick (emptied by <see cref="Drain"/>, which hands out an array of the exact size),
/// so neither the lists nor the sorted order of receivers are built again every tick.
/// </summary>
public sealed class Outbox
{
    private readonly SortedPeerMap<List<PeerMessage>> _byPeer = new();

    public void Send(PeerId to, PeerMessage message)
    {
        if (!_byPeer.TryGetValue(to, out var list))
        {
            list = [];
            _byPeer[to] = list;
        }

        list.Add(message);
    }

    /// <summary>True when something is queued for <paramref name="peer"/> this tick.</summary>
    public bool HasMessagesFor(PeerId peer) => _byPeer.TryGetValue(peer, out var list) && list.Count > 0;

    /// <summary>Drops what was queued for <paramref name="peer"/> (its connection is gone).</summary>
    public void Discard(PeerId peer) => _byPeer.Remove(peer);

    public void Clear() => _byPeer.Clear();

    /// <summary>Everything queued, per receiver in peer id order; the outbox is empty afterwards.</summary>
    public List<(PeerId To, IReadOnlyList<PeerMessage> Messages)> Drain()
    {
        var keys = _byPeer.Keys;
        var values = _byPeer.Values;
        var outgoing = new List<(PeerId To, IReadOnlyList<PeerMessage> Messages)>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var list = values[i];
            if (list.Count > 0)
            {
                outgoing.Add((keys[i], list.ToArray())); // the receiver keeps the batch: the list is ours to refill
                list.Clear();
            }
        }

        return outgoing;
    }
}
