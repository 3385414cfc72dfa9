using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Napster;
using P2POrleans.Unstructured;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>The unstructured part of the demo: one set of peers and files searched through Napster, Gnutella and FastTrack.</summary>
public static class UnstructuredDemo
{
    private const string Query = "oasis vogue";
    private const int Searcher = 1;

    public static async Task RunAsync(CliSession session, IClusterClient client, CancellationToken ct, DemoWeb? web = null)
    {
        var console = session.Console;
        console.Write(new Rule("[bold]Napster, Gnutella, FastTrack[/]: the same 300 peers and files").LeftJustified());
        var shared = (Peers: 300, Degree: 4, FreeRiders: 0.5, Seed: 7L);
        foreach (var name in new[] { "demo-napster", "demo-gnutella", "demo-fasttrack" })
        {
            if (await client.GetGrain<IOverlayRegistryGrain>(name).GetAsync() is not null)
            {
                await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
            }
        }

        await client.GetGrain<INapsterOverlayGrain>("demo-napster").CreateAsync(new NapsterParameters { Peers = shared.Peers, Degree = shared.Degree, FreeRiders = shared.FreeRiders, Seed = shared.Seed });
        await client.GetGrain<IGnutellaOverlayGrain>("demo-gnutella").CreateAsync(new GnutellaParameters { Peers = shared.Peers, Degree = shared.Degree, FreeRiders = shared.FreeRiders, Seed = shared.Seed });
        await client.GetGrain<IFastTrackOverlayGrain>("demo-fasttrack").CreateAsync(new FastTrackParameters { Peers = shared.Peers, Degree = shared.Degree, FreeRiders = shared.FreeRiders, Seed = shared.Seed });
        ct.ThrowIfCancellationRequested();
        console.MarkupLine($"{shared.Peers} peers on a random {shared.Degree}-regular graph, {shared.FreeRiders:P0} free riders, 10 files per sharer drawn (Zipf) from 200 titles.");

        web ??= DemoWeb.Off;
        await web.SceneAsync("demo-napster", "Napster: one central server indexes every peer's files", ct);

        // Napster: one request to the server, then ping the holders and fetch from the best
        var napster = client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key("demo-napster", Searcher));
        var fetch = await napster.FetchAsync(Query);
        console.MarkupLine($"\n[bold]Napster[/]: peer {Searcher} asks the central server for '{Query}' ({fetch.Search.Hits.Count} entries), pings each holder and fetches from the best:");
        UnstructuredRender.Fetch(session, fetch);
        await web.TraceAsync("demo-napster", fetch.Search, ct);
        var server = client.GetGrain<INapsterServerGrain>("demo-napster");
        await server.FailAsync();
        var down = await napster.SearchAsync(Query);
        console.MarkupLine($"[red]The server crashes[/]: {Markup.Escape(down.Error ?? "")}");
        await server.RecoverAsync();
        await client.GetGrain<IOverlayRegistryGrain>("demo-napster").StepAsync(1);
        console.MarkupLine($"Back up empty; after one round every peer has logged in again: {(await server.StatsAsync()).Peers} peers, {(await napster.SearchAsync(Query)).Hits.Count} entries for the query.");

        // Gnutella: the flood
        await web.SceneAsync("demo-gnutella", "Gnutella: a Query floods the graph, TTL by TTL", ct);
        var servent = client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key("demo-gnutella", Searcher));
        console.MarkupLine($"\n[bold]Gnutella[/]: peer {Searcher} floods a Query; each TTL reaches further and costs more:");
        var table = new Table().AddColumns("TTL", "peers reached", "messages", "Query", "QueryHit", "hits", "hops to first hit");
        QueryOutcome? gnutella = null;
        foreach (var ttl in new[] { 1, 2, 3, 4, 5, 7 })
        {
            gnutella = await servent.QueryAsync(Query, ttl);
            table.AddRow($"{ttl}", $"{gnutella.Reached.Count}", $"{gnutella.MessageCount}", $"{gnutella.Messages.Query}", $"{gnutella.Messages.QueryHit}", $"{gnutella.Hits.Count}", gnutella.HopsToFirstHit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        }

        console.Write(table);
        await web.TraceAsync("demo-gnutella", gnutella!, ct);
        if (gnutella!.Hits.Count > 0)
        {
            console.MarkupLine($"A QueryHit's way back (reverse path of its Query): {UnstructuredRender.Path(gnutella.Hits[0].PathBack)}");
        }

        // FastTrack: the same search through the supernodes
        await web.SceneAsync("demo-fasttrack", "FastTrack: peers search through their supernode, supernodes flood each other", ct);
        var supernodes = await client.GetGrain<IFastTrackOverlayGrain>("demo-fasttrack").SupernodesAsync();
        var fastTrack = await client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key("demo-fasttrack", Searcher)).SearchAsync(Query, null);
        await web.TraceAsync("demo-fasttrack", fastTrack, ct);
        console.MarkupLine($"\n[bold]FastTrack[/]: {supernodes.Count} peers with enough reputation became supernodes; the others joined the closest one.");
        console.MarkupLine($"Peer {Searcher} asks its supernode, which answers from its index and floods the supernodes (TTL {fastTrack.Ttl}): {fastTrack.Hits.Count} hits, {fastTrack.MessageCount} messages.");

        var summary = new Table().AddColumns("system", "messages", "peers that processed the query", "hits");
        summary.AddRow("Napster (search only; the fetch added pings)", $"{fetch.Search.MessageCount - fetch.Search.Messages.Ping - fetch.Search.Messages.Pong}", "1 + the server", $"{fetch.Search.Hits.Count}");
        summary.AddRow("Gnutella (TTL 7)", $"{gnutella.MessageCount}", $"{gnutella.Reached.Count}", $"{gnutella.Hits.Count}");
        summary.AddRow($"FastTrack (TTL {fastTrack.Ttl})", $"{fastTrack.MessageCount}", $"{fastTrack.Reached.Count}", $"{fastTrack.Hits.Count}");
        console.Write(summary);
        console.WriteLine();
    }
}
