using System.Globalization;
using P2POrleans.BitTorrent;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>The wire part of `swarm status`: every connection of every member, then the outside clients seen.</summary>
public static class SwarmWireStatus
{
    public static void Write(CliSession session, IReadOnlyList<SwarmPeerStatus> peers)
    {
        var links = new Table().AddColumns("member", "remote", "endpoint", "client", "up total", "down total", "up/s", "down/s", "we choke", "they choke", "interest (we/they)");
        foreach (var p in peers)
        {
            foreach (var l in p.Links)
            {
                links.AddRow(
                    p.Peer.Value,
                    Markup.Escape(l.Outside ? $"{l.Peer.Value} (outside)" : l.Peer.Value),
                    l.Endpoint,
                    Markup.Escape(l.Client),
                    SwarmInput.FormatBytes(l.BytesUp),
                    SwarmInput.FormatBytes(l.BytesDown),
                    SwarmInput.FormatBytes(l.UploadRate),
                    SwarmInput.FormatBytes(l.DownloadRate),
                    l.AmChoking ? "choked" : "unchoked",
                    l.PeerChoking ? "choked" : "unchoked",
                    $"{(l.AmInterested ? "yes" : "no")}/{(l.PeerInterested ? "yes" : "no")}");
            }
        }

        session.Console.MarkupLine("[bold]connections[/] (BEP 3 over TCP; up = we sent, down = we received)");
        session.Console.Write(links);

        var outside = peers.SelectMany(p => p.Links.Where(l => l.Outside).Select(l => (Member: p.Peer, Link: l)))
            .GroupBy(x => x.Link.Peer)
            .ToList();
        if (outside.Count > 0)
        {
            var table = new Table().AddColumns("outside client", "peer id", "connected to", "we sent", "we received", "unchokes / unchoked by");
            foreach (var g in outside)
            {
                table.AddRow(
                    Markup.Escape(g.First().Link.Client.Length > 0 ? g.First().Link.Client : "unknown"),
                    Markup.Escape(g.Key.Value),
                    string.Join(" ", g.Select(x => x.Member.Value)),
                    SwarmInput.FormatBytes(g.Sum(x => x.Link.BytesUp)),
                    SwarmInput.FormatBytes(g.Sum(x => x.Link.BytesDown)),
                    string.Create(CultureInfo.InvariantCulture, $"{g.Count(x => !x.Link.PeerChoking)} / {g.Count(x => !x.Link.AmChoking)} of ours"));
            }

            session.Console.Write(table);
        }

        var closed = peers.SelectMany(p => p.Closed).GroupBy(c => c.Key).Select(g => $"{g.Key} {g.Sum(c => c.Value)}").ToList();
        if (closed.Count > 0)
        {
            session.Console.MarkupLine($"connections closed: {Markup.Escape(string.Join(", ", closed))}");
        }
    }
}
