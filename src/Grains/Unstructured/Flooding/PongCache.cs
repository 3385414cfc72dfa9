
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// Pongs this servent has seen, one per announced ip:port, the newest kept. A Ping is answered
/// from it instead of being flooded (the pong-caching fix to Ping/Pong being half the traffic).
/// </summary>
public sealed class PongCache
{
    private readonly ExpiringMap<PeerEndpoint, Pong> _pongs;

    public PongCache(TimeSpan lifetime) => _pongs = new(lifetime);

    public int Count => _pongs.Count;

    public void Add(Pong pong, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(pong);
        _pongs.Set(pong.Endpoint, pong, now);
    }

    /// <summary>Up to <paramref name="max"/> live Pongs, newest first, none announcing an excluded address.</summary>
    public IReadOnlyList<Pong> Fresh(TimeSpan now, int max, PeerEndpoint excludeA, PeerEndpoint excludeB) =>
        _pongs.Entries(now)
            .Where(e => e.Key != excludeA && e.Key != excludeB)
            .Take(max)
            .Select(e => e.Value)
            .ToArray();
}
