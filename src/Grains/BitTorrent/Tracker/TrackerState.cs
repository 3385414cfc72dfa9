namespace P2POrleans.BitTorrent.Tracker;

/// <summary>
/// A tracker's bookkeeping (BEP 3): which peers are in the swarm and whether each is a seed. An
/// announce returns a uniform random subset of the others (peers sorted first, so a seed gives
/// the same answers).
/// </summary>
public sealed class TrackerState(Random random)
{
    private readonly SortedDictionary<PeerId, bool> _peers = new(PeerIdComparer.Instance);

    public int Seeders => _peers.Values.Count(s => s);

    public int Leechers => _peers.Count - Seeders;

    public int Downloaded { get; private set; }

    public IReadOnlyList<PeerId> Announce(PeerId peer, AnnounceEvent announceEvent, bool seeding, int numWant)
    {
        if (announceEvent == AnnounceEvent.Stopped)
        {
            _peers.Remove(peer);
            return [];
        }

        if (announceEvent == AnnounceEvent.Completed && _peers.TryGetValue(peer, out var wasSeed) && !wasSeed)
        {
            Downloaded++;
        }

        _peers[peer] = seeding;
        var others = _peers.Keys.Where(p => p != peer).ToList();
        var take = Math.Min(Math.Max(numWant, 0), others.Count);
        for (var i = 0; i < take; i++)
        {
            var j = i + random.Next(others.Count - i);
            (others[i], others[j]) = (others[j], others[i]);
        }

        return others.GetRange(0, take);
    }

    public void Clear()
    {
        _peers.Clear();
        Downloaded = 0;
    }
}
