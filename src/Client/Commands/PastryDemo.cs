using P2POrleans.Common;
using P2POrleans.Pastry;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>The Pastry part of the demo: joins, a traced lookup that resolves one more digit per hop, crashes and repair.</summary>
public static class PastryDemo
{
    public const string Overlay = "demo-pastry";

    public static async Task RunAsync(CliSession session, IClusterClient client, int peers, CancellationToken ct, DemoWeb? web = null)
    {
        var console = session.Console;
        var registry = await DemoScene.OpenAsync(session, client, "[bold]Pastry[/] (Rowstron & Druschel, Middleware 2001)", Overlay);

        // m = 32 and b = 2 keep ids short (16 base-4 digits) and routes a few hops long; the defaults are m = 128, b = 4.
        var parameters = new PastryParameters { Bits = 32, DigitBits = 2, LeafSetSize = 8, NeighbourhoodSize = 16, Replicas = 3, Seed = 11 };
        await registry.CreateAsync(parameters);
        var control = client.GetGrain<IPastryOverlayGrain>(Overlay);
        web ??= DemoWeb.Off;
        await web.SceneAsync(Overlay, $"Pastry: {peers} peers join, each through a nearby peer", ct);
        console.MarkupLine($"Created '{Overlay}': m = {parameters.Bits} bits read as {parameters.Rows} digits of b = {parameters.DigitBits} bits, |L| = {parameters.LeafSetSize}, |M| = {parameters.NeighbourhoodSize}, k = {parameters.Replicas} copies, proximity selection on.");

        await KeyValueDemoSteps.JoinOneByOneAsync(session, control, peers, ct);
        var report = await control.CheckAsync();
        console.MarkupLine($"Joined {peers} peers, each through a nearby peer that routed its join message: leaf sets {Render.Percent(report.Truth.LeafSetCorrectFraction)} exact, routing entries {Render.Percent(report.Truth.ValidEntryFraction)} valid, no round run.");

        var members = await registry.GetMembersAsync();
        var first = client.GetGrain<IPastryPeerGrain>(PeerKeys.For(Overlay, members[0]));
        const int keys = KeyValueDemoSteps.Songs;
        await KeyValueDemoSteps.PutSongsAsync(first);
        report = await control.CheckAsync();
        console.MarkupLine($"Stored {keys} keys: {report.KeysAtOwner}/{report.DistinctKeys} at the numerically closest peer, {report.ReplicaCopiesPresent}/{report.ReplicaCopiesExpected} copies on the {parameters.Replicas} closest.");

        // The longest of a few lookups shows prefix routing best.
        LookupResult? traced = null;
        var tracedKey = "";
        foreach (var (key, from) in Enumerable.Range(0, 12).Select(i => (KeyValueDemoSteps.Song(i), members[(i * 5) % members.Count])))
        {
            var r = await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(Overlay, from)).LookupAsync(parameters.Space.Hash(key), key);
            if (traced is null || r.Hops > traced.Hops)
            {
                traced = r;
                tracedKey = key;
            }
        }

        await web.TraceAsync(Overlay, P2POrleans.Web.Api.Traces.PastryLookup(parameters, traced!, tracedKey), ct);

        console.MarkupLine($"\nA traced lookup of [bold]{tracedKey}[/] from peer {PastryRender.Digits(parameters, traced!.Path[0].Node)}: each routing-table hop shares one more digit with the key (green), the last hop is in the leaf set.");
        console.Write(PastryRender.PathTable(parameters, traced));
        var bound = Math.Ceiling(Math.Log(peers, parameters.Columns));
        console.MarkupLine($"delivered at {PastryRender.Digits(parameters, traced.Owner)} after [bold]{traced.Hops}[/] hops ({traced.LatencyMs:F1} ms simulated); the paper's bound is ceil(log_{parameters.Columns} N) = {bound}.");

        await KeyValueDemoSteps.WriteMeanHopsAsync(session, parameters.Space, first);

        var victims = members.Where((_, i) => i % 5 == 2).Take(parameters.Replicas - 1 + (peers / 10)).ToList();
        foreach (var v in victims)
        {
            await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(Overlay, v)).FailAsync();
        }

        var found = await KeyValueDemoSteps.ReadableSongsAsync(first);
        report = await control.CheckAsync();
        console.MarkupLine($"\n[red]Crashed {victims.Count} of {peers} peers at once.[/] Lookups skip dead hops right away: {found}/{keys} keys readable; leaf sets {Render.Percent(report.Truth.LeafSetCorrectFraction)} exact, {report.Truth.StaleEntries} dead routing entries.");
        await registry.StepAsync(2);
        report = await control.CheckAsync();
        console.MarkupLine($"After 2 rounds of probing and repair (leaf sets from the farthest live leaf, table slots from the same row): leaf sets {Render.Percent(report.Truth.LeafSetCorrectFraction)} exact, {report.Truth.StaleEntries} dead entries, {report.ReplicaCopiesPresent}/{report.ReplicaCopiesExpected} copies back in place.\n");
    }
}
