using System.Diagnostics;
using System.Globalization;
using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// "Ping the candidates, fetch from the best" (Napster; also what Gnutella and FastTrack clients
/// did with their hits): every holder of the first file found is pinged (<see cref="ProbeAsync"/>),
/// each becomes a <see cref="HostCandidate"/> with its simulated RTT and rate, and
/// <see cref="BestHostSelector"/> picks the quickest estimated transfer (<see cref="Choose"/>).
/// </summary>
public static class HostProbe
{
    /// <summary>
    /// Pings, one after another, every hit that names the same file as the first hit; a holder that
    /// does not answer is kept with no RTT (and reported to <paramref name="dead"/>). One hop span per ping.
    /// </summary>
    /// <param name="protocol">for the spans</param>
    /// <param name="self">the searcher: the RTT is the network model's between it and the holder</param>
    /// <param name="probe">the holder's answer to the ping (its grain's <see cref="IUnstructuredPeer.ProbeAsync"/>)</param>
    public static async Task<IReadOnlyList<(ProbedHost Host, FoundFile Hit)>> ProbeAsync(
        string protocol, int self, QueryOutcome search, NetworkModel network, Func<int, Task<PeerProbe>> probe, Func<FoundFile, Task>? dead = null)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(probe);
        if (search.Hits.Count == 0)
        {
            return [];
        }

        var wanted = search.Hits[0].File.Name;
        var probed = new List<(ProbedHost, FoundFile)>();
        foreach (var hit in search.Hits.Where(h => h.File.Name == wanted))
        {
            using var hop = P2PTelemetry.StartHop(protocol, probed.Count + 1, hit.Node.ToString(CultureInfo.InvariantCulture));
            PeerProbe answer;
            try
            {
                answer = await probe(hit.Node);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                hop?.SetTag("p2p.dead", true);
                probed.Add((new ProbedHost(hit.Node, hit.Endpoint, null, 0, false), hit));
                if (dead is not null)
                {
                    await dead(hit);
                }

                continue;
            }

            var rtt = network.Rtt(UnstructuredNodes.IdOf(self), UnstructuredNodes.IdOf(hit.Node));
            hop?.SetTag("p2p.rtt_ms", rtt);
            probed.Add((new ProbedHost(hit.Node, hit.Endpoint, rtt, answer.SpeedKbps * 1000.0 / 8, answer.Firewalled), hit));
        }

        return probed;
    }

    /// <summary>The pings and the answers that came back, as message counts (a ping is counted as a Ping, an answer as a Pong).</summary>
    public static DescriptorCounts Messages(IReadOnlyList<(ProbedHost Host, FoundFile Hit)> probed)
    {
        ArgumentNullException.ThrowIfNull(probed);
        return new DescriptorCounts(probed.Count, probed.Count(p => p.Host.RttMs is not null), 0, 0, 0);
    }

    /// <summary>
    /// Downloads from the best answering host, straight from it (no Push): what a Napster or FastTrack
    /// client does once it has pinged the holders.
    /// </summary>
    public static async Task<FetchOutcome> FetchDirectAsync(
        QueryOutcome search, IReadOnlyList<(ProbedHost Host, FoundFile Hit)> probed, Func<FoundFile, Task<SharedFile>> download, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(probed);
        ArgumentNullException.ThrowIfNull(download);
        var hosts = probed.Select(p => p.Host).ToList();
        if (Choose(probed) is not { } best)
        {
            return new FetchOutcome(search, hosts, null, "none", [], 0, 0, $"no holder of '{search.Hits[0].File.Name}' answered the ping");
        }

        var (host, chosen) = best;
        var file = await download(chosen);
        activity?.SetTag("p2p.owner", chosen.Node);
        activity?.SetTag("p2p.bytes", file.Size);
        return new FetchOutcome(search, hosts, chosen, "direct", [], file.Size, BestHostSelector.EstimatedMs(host, file.Size), null);
    }

    public static (ProbedHost Host, FoundFile Hit)? Choose(IReadOnlyList<(ProbedHost Host, FoundFile Hit)> probed)
    {
        ArgumentNullException.ThrowIfNull(probed);
        if (probed.Count == 0)
        {
            return null;
        }

        var size = probed[0].Hit.File.Size;
        var byEndpoint = probed.GroupBy(p => p.Host.Endpoint).ToDictionary(g => g.Key, g => g.First());
        var best = BestHostSelector.Choose(byEndpoint.Values.Select(p => BestHostSelector.Candidate(p.Host)), size);
        return best is null ? null : byEndpoint[best.Peer];
    }
}
