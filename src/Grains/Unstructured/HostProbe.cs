
namespace P2POrleans.Unstructured;

/// <summary>
/// "Ping the candidates, fetch from the best" (Napster; also what Gnutella and FastTrack clients
/// did with their hits): each holder of a wanted file becomes a <see cref="HostCandidate"/> with its
/// simulated RTT and rate, and <see cref="BestHostSelector"/> picks the quickest estimated transfer.
/// </summary>
public static class HostProbe
{
    public static (ProbedHost Host, FoundFile Hit)? Choose(IReadOnlyList<(ProbedHost Host, FoundFile Hit)> probed)
    {
        ArgumentNullException.ThrowIfNull(probed);
        if (probed.Count == 0)
        {
            return null;
        }

        var size = probed[0].Hit.File.Size;
        var byEndpoint = probed.GroupBy(p => p.Host.Endpoint).ToDictionary(g => g.Key, g => g.First());
        var best = BestHostSelector.Choose(
            byEndpoint.Values.Select(p => new HostCandidate(p.Host.Endpoint, p.Host.RttMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, p.Host.BytesPerSecond)),
            size);
        return best is null ? null : byEndpoint[best.Peer];
    }

    public static double EstimatedMs(ProbedHost host, long bytes)
    {
        ArgumentNullException.ThrowIfNull(host);
        return BestHostSelector.EstimatedTime(
            new HostCandidate(host.Endpoint, host.RttMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, host.BytesPerSecond), bytes).TotalMilliseconds;
    }
}
