using System.Diagnostics;
using System.Diagnostics.Metrics;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// BitTorrent instruments on the project's Meter and ActivitySource (README, "Traces and metrics"; docs/bittorrent.md, "Telemetry"): bytes
/// up and down per peer, hash failures, piece replication, and a span per download.
/// </summary>
public static class SwarmTelemetry
{
    public static readonly Counter<long> Bytes =
        P2PTelemetry.Meter.CreateCounter<long>("p2p.bt.bytes", "By", "Block bytes sent (up) and received (down), per peer");

    public static readonly Counter<long> HashFailures =
        P2PTelemetry.Meter.CreateCounter<long>("p2p.bt.hash_failures", "{piece}", "Pieces discarded because their SHA-1 did not match");

    public static readonly Histogram<int> Replication =
        P2PTelemetry.Meter.CreateHistogram<int>("p2p.bt.piece.replication", "{peer}", "Peers holding each piece, sampled every 10 simulated seconds");

    public static readonly Histogram<double> CompletionTime =
        P2PTelemetry.Meter.CreateHistogram<double>("p2p.bt.download.time", "s", "Simulated seconds from arrival to a complete, verified file");

    public static readonly Counter<long> WireClosed =
        P2PTelemetry.Meter.CreateCounter<long>("p2p.bt.wire.closed", "{connection}", "Peer wire connections closed, by reason");

    public static void CountWireClose(string overlay, PeerId peer, WireCloseReason reason) =>
        WireClosed.Add(1, new("p2p.overlay", overlay), new("p2p.peer", peer.Value), new("p2p.bt.reason", reason.ToString()));

    public static void CountBytes(string overlay, PeerId peer, long up, long down)
    {
        var o = new KeyValuePair<string, object?>("p2p.overlay", overlay);
        var p = new KeyValuePair<string, object?>("p2p.peer", peer.Value);
        if (up > 0)
        {
            Bytes.Add(up, o, p, new KeyValuePair<string, object?>("p2p.direction", "up"));
        }

        if (down > 0)
        {
            Bytes.Add(down, o, p, new KeyValuePair<string, object?>("p2p.direction", "down"));
        }
    }

    /// <summary>A root span for one peer's whole download (simulated time lives in its tags and events).</summary>
    public static Activity? StartDownload(string overlay, string infoHash, PeerId peer, PeerBehaviour behaviour)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = P2PTelemetry.Source.StartActivity(SwarmParameters.Name + ".download", ActivityKind.Internal);
        Activity.Current = previous;
        activity?.SetTag("p2p.protocol", SwarmParameters.Name);
        activity?.SetTag("p2p.overlay", overlay);
        activity?.SetTag("p2p.key", infoHash);
        activity?.SetTag("p2p.peer", peer.Value);
        activity?.SetTag("p2p.bt.behaviour", behaviour.ToString());
        return activity;
    }

    /// <summary>
    /// On the wire, a download span also names every connection the member has when it ends: the
    /// remote (outside clients marked with the client their peer id names), bytes up and down, and
    /// whether it chokes us (`p2p.bt.links`), and how many remotes were outside clients.
    /// </summary>
    public static void TagLinks(Activity? activity, IReadOnlyList<SwarmLinkStatus> links)
    {
        activity?.SetTag("p2p.bt.links", string.Join(",", links.Select(l =>
            $"{l.Peer.Value}{(l.Outside ? $" (outside {l.Client})" : "")} up={l.BytesUp} down={l.BytesDown} {(l.PeerChoking ? "choked" : "unchoked")}")));
        activity?.SetTag("p2p.bt.outside", links.Count(l => l.Outside));
    }

    /// <summary>Closes a download span: per piece an event (time, senders), and the pieces each peer supplied.</summary>
    public static void CompleteDownload(Activity? activity, SwarmMember member, double arrivedAt, bool success)
    {
        if (activity is null)
        {
            return;
        }

        var previous = Activity.Current;
        foreach (var (piece, time, from) in member.Downloads)
        {
            activity.AddEvent(new ActivityEvent("piece", tags: new ActivityTagsCollection
            {
                ["p2p.bt.piece"] = piece,
                ["p2p.bt.time_s"] = time,
                ["p2p.bt.from"] = string.Join(",", from.Select(p => p.Value)),
            }));
        }

        var perPeer = member.Downloads.SelectMany(d => d.From).GroupBy(p => p.Value).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
        activity.SetTag("p2p.bt.pieces", member.Downloads.Count);
        activity.SetTag("p2p.bt.sources", string.Join(",", perPeer.Select(g => $"{g.Key}:{g.Count()}")));
        activity.SetTag("p2p.bt.hash_failures", member.HashFailures);
        activity.SetTag("p2p.bt.banned", string.Join(",", member.Banned.Select(p => p.Value).Order(StringComparer.Ordinal)));
        activity.SetTag("p2p.bt.arrived_s", arrivedAt);
        if (member.CompletedAt is { } done)
        {
            activity.SetTag("p2p.bt.completed_s", done);
            activity.SetTag("p2p.latency_ms", (done - arrivedAt) * 1000);
            CompletionTime.Record(done - arrivedAt, new KeyValuePair<string, object?>("p2p.protocol", SwarmParameters.Name));
        }

        activity.SetTag("p2p.success", success);
        if (!success)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.Stop();
        Activity.Current = previous;
    }
}
