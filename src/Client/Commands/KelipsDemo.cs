using P2POrleans.Common;
using P2POrleans.Kelips;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>The Kelips part of the demo: affinity groups, gossip convergence, a one-hop lookup, a lookup around a crashed contact.</summary>
public static class KelipsDemo
{
    public const string Overlay = "demo-kelips";
    private const int Peers = 64;
    private const int Files = 24;

    public static async Task RunAsync(CliSession session, IClusterClient client, CancellationToken ct, DemoWeb? web = null)
    {
        var console = session.Console;
        var registry = await DemoScene.OpenAsync(session, client, "[bold]Kelips[/] (Gupta, Birman, Linga, Demers, van Renesse, IPTPS 2003)", Overlay);

        // m = 32 keeps ids readable (decimal); groups are id mod k either way.
        var parameters = new KelipsParameters { ExpectedPeers = Peers, Bits = 32, Seed = 7, ExpectedFiles = Files };
        await registry.CreateAsync(parameters);
        var space = parameters.Space;
        var control = client.GetGrain<IKelipsOverlayGrain>(Overlay);
        web ??= DemoWeb.Off;
        await web.SceneAsync(Overlay, $"Kelips: {Peers} peers in {parameters.GroupCount} affinity groups gossip", ct);
        console.MarkupLine($"Created '{Overlay}': N = {Peers} expected peers -> k = ceil(sqrt N) = [bold]{parameters.GroupCount}[/] affinity groups, c = {parameters.Contacts} contacts per foreign group, fanout {parameters.Fanout}, stepped clock.");

        await console.Status().StartAsync($"joining {Peers} peers, each through a random live peer…", async _ => await control.JoinHostsAsync(Peers));
        var report = await control.CheckAsync();
        console.MarkupLine($"Joined {Peers} peers. Right after the joins: view completeness {Render.Percent(report.ViewCompleteness)}, foreign groups with a contact {Render.Percent(report.ContactCoverage)}.");
        var rounds = await GossipUntilAsync(registry, control, r => r.CompleteViews == r.Peers && r.ContactCoverage >= 1.0, 80, ct);
        report = await control.CheckAsync();
        console.MarkupLine($"After [bold]{rounds}[/] gossip rounds every view is complete ({report.CompleteViews}/{report.Peers}) and {Render.Percent(report.ContactCoverage)} of foreign groups have a live contact; {report.GossipMessagesPerPeerPerRound:F2} messages and {report.GossipBytesPerPeerPerRound:N0} B per peer per round.");

        var members = await registry.GetMembersAsync();
        var random = new Random(3);
        var homes = new Dictionary<string, NodeId>();
        for (var i = 0; i < Files; i++)
        {
            var name = $"track-{i:D2}.ogg";
            var home = members[random.Next(members.Count)];
            homes[name] = home;
            await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(Overlay, home)).InsertAsync(name, $"<{name} bytes>");
        }

        rounds = await GossipUntilAsync(registry, control, r => r.FileTupleCoverage >= 1.0, 60, ct);
        report = await control.CheckAsync();
        console.MarkupLine($"Inserted {Files} files at their uploaders (home nodes); each filetuple went to a contact in its group and reached the whole group in {rounds} rounds (log2 N = {Math.Log2(Peers):F0}).");
        console.Write(KelipsCommands.GroupsTable(report));

        // A lookup from a peer outside the file's group: one hop to its nearest contact there.
        var groups = new AffinityGroups(parameters.GroupCount);
        (NodeId From, string File, NodeId Contact)? pick = null;
        foreach (var (file, home) in homes)
        {
            foreach (var from in members.Where(m => groups.Of(m) != groups.OfFile(file) && m != home))
            {
                var state = await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(Overlay, from)).GetStateAsync();
                var contacts = state.Contacts.Where(c => c.Group == groups.OfFile(file)).ToList();
                if (contacts.Count >= 2 && contacts[0].Id != home)
                {
                    pick = (from, file, contacts[0].Id);
                    break;
                }
            }

            if (pick is not null)
            {
                break;
            }
        }

        if (pick is not { } p)
        {
            console.MarkupLine("[yellow]no peer with two contacts in another group yet; skipping the lookups[/]");
            return;
        }

        var initiator = client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(Overlay, p.From));
        var first = await initiator.LookupAsync(p.File);
        console.MarkupLine($"\nA traced lookup of [bold]{p.File}[/] (group {first.FileGroup}) from peer {space.Format(p.From)} (group {groups.Of(p.From)}): one hop to its nearest contact in the file's group, which answers the home node; then the fetch.");
        console.Write(Render.PathTable(space, first.Lookup));
        await web.TraceAsync(Overlay, P2POrleans.Web.Api.Traces.KelipsLookup(parameters, first), ct);
        console.MarkupLine($"home node {space.Format(first.Lookup.Owner)} after [bold]{first.PathLength}[/] hop ({first.Lookup.LatencyMs:F1} ms), fetched '{Markup.Escape(first.Content ?? "")}' (+{first.FetchRttMs:F1} ms).");

        await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(Overlay, p.Contact)).FailAsync();
        var around = await initiator.LookupAsync(p.File);
        console.MarkupLine($"\n[red]Crashed that contact ({space.Format(p.Contact)}).[/] The same lookup now finds it dead and asks the next contact:");
        console.Write(Render.PathTable(space, around.Lookup));
        console.MarkupLine($"home node {space.Format(around.Lookup.Owner)} after {around.PathLength} hop ({around.Lookup.Messages} peers asked, {around.Lookup.DeadHopsSkipped} dead), fetched: {around.Fetched}.");

        await registry.StepAsync(10);
        var healed = await initiator.LookupAsync(p.File);
        console.Write(Render.PathTable(space, healed.Lookup));
        console.MarkupLine($"After 10 more rounds of gossip the dead contact is gone and replaced: {healed.PathLength} hop ({healed.Lookup.Messages} asked), fetched: {healed.Fetched}.\n");
    }

    private static async Task<int> GossipUntilAsync(IOverlayRegistryGrain registry, IKelipsOverlayGrain control, Func<KelipsCheckReport, bool> done, int limit, CancellationToken ct)
    {
        for (var r = 0; r < limit; r++)
        {
            ct.ThrowIfCancellationRequested();
            if (done(await control.CheckAsync()))
            {
                return r;
            }

            await registry.StepAsync(1);
        }

        return limit;
    }
}
