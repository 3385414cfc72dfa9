using System.Diagnostics;
using P2POrleans.Common;

namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// Drives a flood in rounds from its originator (the link layer of the simulation: one round per
/// link, all links equally fast). Each round, every peer that was sent something handles it and
/// sends on; the flood ends when nothing is in flight. Each round is a child span of the query.
/// </summary>
public static class FloodRunner
{
    private const int RoundParallelism = 64;
    private const int MaxRounds = 600;

    public static async Task<FloodSummary> RunAsync(
        string protocol, Guid flood, Descriptor origin, int originNode, IReadOnlyList<int> firstRecipients, DescriptorCounts originSent,
        TimeSpan now, Func<int, IFloodNodeGrain> resolve)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(firstRecipients);
        ArgumentNullException.ThrowIfNull(resolve);
        var reached = new HashSet<int> { originNode };
        var sent = originSent;
        var delivered = new List<DeliveredDescriptor>();
        var rejected = 0;
        var active = firstRecipients.Distinct().Order().ToList();
        var waves = new List<FloodWave> { new(0, [originNode], originSent.Total) };
        var round = 0;
        while (active.Count > 0 && round < MaxRounds)
        {
            round++;
            using var span = P2PTelemetry.StartHop(protocol, round, $"{active.Count} peers");
            var reports = new List<FloodRoundReport>();
            var step = new FloodRound(flood, round, now, origin.Id, (byte)origin.Type);
            await Concurrently.ForEachAsync(active, RoundParallelism, async node =>
            {
                try
                {
                    reports.Add(await resolve(node).RunRoundAsync(step));
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // it died after accepting the message: what it held is lost, as on a real network
                }
            });
            var next = new SortedSet<int>();
            var wave = new List<int>();
            foreach (var report in reports.OrderBy(r => r.Node))
            {
                if (report.AcceptedOrigin && reached.Add(report.Node))
                {
                    wave.Add(report.Node);
                }

                sent += report.Sent;
                delivered.AddRange(report.Delivered);
                rejected += report.Rejected;
                next.UnionWith(report.Recipients);
            }

            span?.SetTag("p2p.round.messages", reports.Sum(r => r.Sent.Total));
            waves.Add(new FloodWave(round, wave, reports.Sum(r => r.Sent.Total)));
            active = next.ToList();
        }

        Activity.Current?.SetTag("p2p.rounds", round);
        return new FloodSummary(reached, sent, delivered, round, rejected) { Waves = waves };
    }

    /// <summary>The QueryHits delivered to the searcher as found files, the first to arrive (fewest hops) first.</summary>
    public static IReadOnlyList<FoundFile> HitsAt(int origin, IEnumerable<DeliveredDescriptor> delivered)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        return delivered
            .Where(d => d.Node == origin && d.Descriptor.Payload is QueryHit)
            .OrderBy(d => d.Path.Count)
            .SelectMany(d =>
            {
                var hit = (QueryHit)d.Descriptor.Payload;
                var node = UnstructuredNodes.NodeOf(hit.Endpoint);
                return hit.Results.Select(r => new FoundFile(node, hit.Endpoint, new SharedFile(r.FileIndex, r.FileSize, r.FileName), hit.ServentId, hit.Speed, d.Path));
            })
            .ToList();
    }
}
