using System.Globalization;
using P2POrleans.Unstructured;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>How searches, fetches and peers of the unstructured systems look on the console.</summary>
public static class UnstructuredRender
{
    public static string Counts(DescriptorCounts c)
    {
        var parts = new List<string>();
        void Add(string name, long n)
        {
            if (n > 0)
            {
                parts.Add($"{name} {n}");
            }
        }

        Add("Ping", c.Ping);
        Add("Pong", c.Pong);
        Add("Push", c.Push);
        Add("Query", c.Query);
        Add("QueryHit", c.QueryHit);
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    public static string Path(IReadOnlyList<int> path) =>
        string.Join(" <- ", path.Select(n => n < 0 ? "server" : n.ToString(CultureInfo.InvariantCulture)));

    public static void Query(CliSession session, QueryOutcome o, int limit = 20)
    {
        if (session.Json)
        {
            session.WriteJson(o);
            return;
        }

        if (!o.Success)
        {
            session.Error.WriteLine($"error: {o.Error}");
            return;
        }

        session.Out.WriteLine($"{o.Protocol} query '{o.Query}' from peer {o.Origin}, TTL {o.Ttl}: {o.Reached.Count} peers reached, {o.MessageCount} messages sent ({Counts(o.Messages)}), {o.Hits.Count} hits"
            + (o.HopsToFirstHit is { } h ? $", first hit after {h} hops" : ""));
        if (o.Hits.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("peer", "address", "file", "bytes", "path back (responder first)");
        foreach (var hit in o.Hits.Take(limit))
        {
            table.AddRow(hit.Node.ToString(CultureInfo.InvariantCulture), hit.Endpoint.ToString(), Markup.Escape(hit.File.Name),
                hit.File.Size.ToString("N0", CultureInfo.InvariantCulture), Path(hit.PathBack));
        }

        session.Console.Write(table);
        if (o.Hits.Count > limit)
        {
            session.Out.WriteLine($"… and {o.Hits.Count - limit} more");
        }
    }

    public static void Fetch(CliSession session, FetchOutcome f)
    {
        if (session.Json)
        {
            session.WriteJson(f);
            return;
        }

        var s = f.Search;
        session.Out.WriteLine($"search '{s.Query}' from peer {s.Origin}: {s.Hits.Count} hits, {s.Reached.Count} peers reached, {s.MessageCount} messages ({Counts(s.Messages)})");
        if (f.Probed.Count > 0)
        {
            var table = new Table().AddColumns("candidate", "address", "rtt ms", "rate KB/s", "firewalled", "est. ms");
            const int shown = 12;
            foreach (var p in f.Probed.OrderBy(p => p.RttMs is null ? double.MaxValue : BestHostSelector.EstimatedMs(p, f.Chosen?.File.Size ?? 0)).Take(shown))
            {
                table.AddRow(p.Node.ToString(CultureInfo.InvariantCulture), p.Endpoint.ToString(), p.RttMs is { } r ? r.ToString("F1", CultureInfo.InvariantCulture) : "dead",
                    (p.BytesPerSecond / 1000).ToString("F1", CultureInfo.InvariantCulture), p.Firewalled ? "yes" : "",
                    p.RttMs is null ? "-" : BestHostSelector.EstimatedMs(p, f.Chosen?.File.Size ?? 0).ToString("F0", CultureInfo.InvariantCulture));
            }

            session.Console.Write(table);
            if (f.Probed.Count > shown)
            {
                session.Out.WriteLine($"… and {f.Probed.Count - shown} more candidates (best first)");
            }
        }

        if (f.Success)
        {
            session.Out.WriteLine($"fetched '{f.Chosen!.File.Name}' ({f.Bytes:N0} bytes) from peer {f.Chosen.Node} ({f.Chosen.Endpoint}) {f.Route}"
                + (f.PushPath.Count > 0 ? $", Push path {string.Join(" -> ", f.PushPath)}" : "") + $"; estimated {f.EstimatedMs:F0} ms");
        }
        else
        {
            session.Error.WriteLine($"error: {f.Error}");
        }
    }

    public static void Peers(CliSession session, IReadOnlyList<UnstructuredPeerView> peers, int limit)
    {
        if (session.Json)
        {
            session.WriteJson(peers.Take(limit));
            return;
        }

        var table = new Table().AddColumns("peer", "address", "role", "files", "links", "firewalled", "sent", "reputation");
        foreach (var p in peers.Take(limit))
        {
            table.AddRow(p.Node.ToString(CultureInfo.InvariantCulture), p.Endpoint.ToString(), p.Role, p.Files.ToString(CultureInfo.InvariantCulture),
                string.Join(" ", p.Neighbours.Take(12)) + (p.Neighbours.Count > 12 ? " …" : ""), p.Firewalled ? "yes" : "", p.Sent.Total.ToString(CultureInfo.InvariantCulture),
                p.Reputation.ToString(CultureInfo.InvariantCulture));
        }

        session.Console.Write(table);
        var links = peers.Sum(p => p.Neighbours.Count);
        session.Out.WriteLine($"{peers.Count} peers, {links} link ends, mean degree {(peers.Count == 0 ? 0 : (double)links / peers.Count):F2}");
    }
}
