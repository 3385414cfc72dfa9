using System.Diagnostics;
using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// The query span shared by Napster, Gnutella and FastTrack (docs/architecture.md, tracing): tags give the
/// messages sent (in total and per descriptor type), distinct peers reached, hits and the hops to
/// the first hit.
/// </summary>
public static class UnstructuredTelemetry
{
    public static Activity? StartQuery(string protocol, string overlay, string text, int origin) =>
        P2PTelemetry.StartLookup(protocol, overlay, text, origin.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void Complete(Activity? activity, QueryOutcome outcome, double latencyMs)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        activity?.SetTag("p2p.messages", outcome.MessageCount);
        activity?.SetTag("p2p.messages.ping", outcome.Messages.Ping);
        activity?.SetTag("p2p.messages.pong", outcome.Messages.Pong);
        activity?.SetTag("p2p.messages.push", outcome.Messages.Push);
        activity?.SetTag("p2p.messages.query", outcome.Messages.Query);
        activity?.SetTag("p2p.messages.queryhit", outcome.Messages.QueryHit);
        activity?.SetTag("p2p.reached", outcome.Reached.Count);
        activity?.SetTag("p2p.hits", outcome.Hits.Count);
        activity?.SetTag("p2p.ttl", outcome.Ttl);
        if (outcome.HopsToFirstHit is { } first)
        {
            activity?.SetTag("p2p.hops_to_first_hit", first);
        }

        if (outcome.Error is { } error)
        {
            activity?.SetTag("p2p.error", error);
        }

        var owner = outcome.Hits.Count > 0 ? outcome.Hits[0].Node.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        P2PTelemetry.CompleteLookup(activity, outcome.Protocol, outcome.HopsToFirstHit ?? 0, latencyMs, owner, outcome.Success);
    }
}
