using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>
/// The bootstrap service at the well-known address: it keeps the most recently joined peers (a
/// bounded list) and gives a newcomer a random few of them as its first neighbours.
/// </summary>
public sealed class Introducer
{
    private readonly List<PeerEndpoint> _recent = []; // oldest first
    private readonly int _capacity;
    private readonly Random _rng;

    public Introducer(int capacity, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(rng);
        _capacity = capacity;
        _rng = rng;
    }

    /// <summary>The remembered peers, newest first.</summary>
    public IReadOnlyList<PeerEndpoint> Recent => Enumerable.Reverse(_recent).ToArray();

    /// <summary>Returns up to <paramref name="count"/> distinct recent peers (never the newcomer), then remembers the newcomer as the newest.</summary>
    public IReadOnlyList<PeerEndpoint> Join(PeerEndpoint newcomer, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _recent.Remove(newcomer);
        var candidates = _recent.ToArray();
        _rng.Shuffle(candidates);
        var chosen = candidates.Take(count).ToArray();
        _recent.Add(newcomer);
        if (_recent.Count > _capacity)
        {
            _recent.RemoveAt(0);
        }

        return chosen;
    }

    /// <summary>Forgets a peer that left or was found dead.</summary>
    public bool Leave(PeerEndpoint peer) => _recent.Remove(peer);
}
