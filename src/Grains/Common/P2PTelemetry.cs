using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace P2POrleans.Common;

/// <summary>
/// The one ActivitySource and Meter of the project, both named "P2POrleans" (docs/architecture.md, tracing),
/// and the tag and instrument names every protocol uses.
/// </summary>
public static class P2PTelemetry
{
    public const string Name = "P2POrleans";

    public static readonly ActivitySource Source = new(Name, "1.0.0");

    /// <summary>
    /// Whether anything listens to the spans: when nothing does, a caller need not format the tags it
    /// would pass (an id as hex per hop was a string per message on the lookup path; docs/bench.md).
    /// </summary>
    public static bool Tracing => Source.HasListeners();
    public static readonly Meter Meter = new(Name, "1.0.0");

    public static readonly Histogram<int> LookupHops =
        Meter.CreateHistogram<int>("p2p.lookup.hops", "{hop}", "Peers asked per lookup, initiator excluded");

    public static readonly Histogram<double> LookupLatency =
        Meter.CreateHistogram<double>("p2p.lookup.latency", "ms", "Simulated latency of a lookup");

    public static readonly Counter<long> Messages =
        Meter.CreateCounter<long>("p2p.messages", "{message}", "Protocol messages sent, by protocol, kind and type");

    public static readonly UpDownCounter<long> ActivePeers =
        Meter.CreateUpDownCounter<long>("p2p.peers.active", "{peer}", "Peers that are members of an overlay");

    public static readonly Histogram<int> StateEntries =
        Meter.CreateHistogram<int>("p2p.peer.state.entries", "{entry}", "Routing entries a peer holds, sampled each round");

    public const string LookupKind = "lookup";
    public const string MaintenanceKind = "maintenance";

    public static void CountMessage(string protocol, string kind, string type) =>
        Messages.Add(1, new KeyValuePair<string, object?>("p2p.protocol", protocol),
            new KeyValuePair<string, object?>("p2p.kind", kind),
            new KeyValuePair<string, object?>("p2p.type", type));

    /// <summary>Starts a lookup span with the tags known at the start.</summary>
    public static Activity? StartLookup(string protocol, string overlay, string key, string initiator)
    {
        var activity = Source.StartActivity(protocol + ".lookup", ActivityKind.Internal);
        activity?.SetTag("p2p.protocol", protocol);
        activity?.SetTag("p2p.overlay", overlay);
        activity?.SetTag("p2p.key", key);
        activity?.SetTag("p2p.initiator", initiator);
        return activity;
    }

    public static Activity? StartHop(string protocol, int index, string node)
    {
        var activity = Source.StartActivity(protocol + ".hop", ActivityKind.Internal);
        activity?.SetTag("p2p.hop.index", index);
        activity?.SetTag("p2p.hop.node", node);
        return activity;
    }

    /// <summary>A hop whose peer did not answer (crashed, gone, or its silo unreachable): routed around.</summary>
    public static void MarkDeadHop(Activity? hop)
    {
        hop?.SetTag("p2p.hop.dead", true);
        hop?.SetStatus(ActivityStatusCode.Error);
    }

    /// <summary>Closes a lookup: span tags and the hop/latency histograms.</summary>
    public static void CompleteLookup(Activity? activity, string protocol, int hops, double latencyMs, string owner, bool success)
    {
        activity?.SetTag("p2p.hops", hops);
        activity?.SetTag("p2p.latency_ms", Math.Round(latencyMs, 3));
        activity?.SetTag("p2p.owner", owner);
        activity?.SetTag("p2p.success", success);
        if (!success)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        var tag = new KeyValuePair<string, object?>("p2p.protocol", protocol);
        LookupHops.Record(hops, tag);
        LookupLatency.Record(latencyMs, tag);
    }
}
