namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// The simulated network between the members of a swarm on simulated time: the batches the members
/// sent in a tick, sorted by receiver, for the driver to hand over before the next tick (a receiver
/// sorts them by tick and sender, so the order they were posted in does not matter). A batch for a member that is
/// no longer live is not delivered; its sender learns that the peer is unreachable, as a failed
/// delivery on a real connection would tell it.
/// </summary>
public sealed class SwarmPostbox
{
    private readonly Dictionary<PeerId, List<SwarmBatch>> _batches = [];
    private readonly Dictionary<PeerId, List<PeerId>> _unreachable = [];

    /// <summary>Batches waiting for their receivers' next tick.</summary>
    public int Waiting => _batches.Values.Sum(b => b.Count);

    /// <summary>Posts what a member sent in a tick; <paramref name="isLive"/> tells whether a receiver can still be reached.</summary>
    public void Post(IEnumerable<SwarmBatch> batches, Func<PeerId, bool> isLive)
    {
        foreach (var batch in batches)
        {
            if (isLive(batch.To))
            {
                Add(_batches, batch.To, batch);
            }
            else if (!_unreachable.TryGetValue(batch.From, out var peers) || !peers.Contains(batch.To))
            {
                Add(_unreachable, batch.From, batch.To);
            }
        }
    }

    /// <summary>What <paramref name="member"/> is to get; removed from the postbox.</summary>
    public SwarmDelivery Take(PeerId member)
    {
        var batches = _batches.Remove(member, out var b) ? b : null;
        var unreachable = _unreachable.Remove(member, out var u) ? u : null;
        return batches is null && unreachable is null ? SwarmDelivery.Empty : new SwarmDelivery(batches ?? [], unreachable ?? []);
    }

    private static void Add<T>(Dictionary<PeerId, List<T>> lists, PeerId key, T item)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            list = [];
            lists[key] = list;
        }

        list.Add(item);
    }
}
