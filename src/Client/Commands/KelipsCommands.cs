using System.CommandLine;
using P2POrleans.Client.Structured;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Web.Api;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p kelips create|join|leave|fail|insert|remove|lookup|groups|view|step|check`.</summary>
public static class KelipsCommands
{
    /// <summary>Kelips' adapter and texts for the verbs it shares with Chord and Pastry.</summary>
    public static StructuredProtocol<KelipsParameters, IKelipsPeerGrain> Protocol { get; } = new(
        KelipsAdapter.Instance,
        JoinDescription: "Join peers: each contacts a live peer and learns its group view and contacts (or --converged)",
        JoinCountDescription: "number of simulated peers to join, each through a live peer",
        JoinConvergedDescription: "install the converged views and contacts directly (benchmarks, experiments) instead of joins and gossip",
        WriteJoined: WriteJoined,
        LeaveDescription: "Graceful leave: files handed to the nearest group mate, the group told",
        RoundWork: "gossip",
        StepDescription: "Advance the stepped clock: every live peer gossips once per round");

    public static Command Build(CommandEnvironment env)
    {
        var kelips = new Command("kelips", "Kelips: sqrt(N) affinity groups, gossip and one-hop lookups (Gupta et al. 2003)");
        kelips.Subcommands.Add(Create(env));
        kelips.Subcommands.Add(StructuredCommands.Join(env, Protocol));
        kelips.Subcommands.Add(StructuredCommands.Leave(env, Protocol));
        kelips.Subcommands.Add(StructuredCommands.Fail(env, Protocol));
        kelips.Subcommands.Add(Insert(env));
        kelips.Subcommands.Add(Remove(env));
        kelips.Subcommands.Add(Lookup(env));
        kelips.Subcommands.Add(Groups(env));
        kelips.Subcommands.Add(View(env));
        kelips.Subcommands.Add(StructuredCommands.Step(env, Protocol));
        kelips.Subcommands.Add(Check(env));
        return kelips;
    }

    private static Command Create(CommandEnvironment env)
    {
        var expected = new Option<int>("--expected") { Description = "expected peers N: k = ceil(sqrt(N)) groups, fixed now", DefaultValueFactory = _ => 100 };
        var groups = new Option<int>("--groups") { Description = "k affinity groups (overrides --expected)", DefaultValueFactory = _ => 0 };
        var contacts = new Option<int>("--contacts") { Description = "c: contacts kept per foreign group", DefaultValueFactory = _ => 2 };
        var fanout = new Option<int>("--fanout") { Description = "gossip targets per round", DefaultValueFactory = _ => 3 };
        var memberTimeout = new Option<int>("--member-timeout") { Description = "rounds before a silent group member is dropped", DefaultValueFactory = _ => 40 };
        var contactTimeout = new Option<int>("--contact-timeout") { Description = "rounds before a silent contact is dropped (0: grows with k and c, at least 80)", DefaultValueFactory = _ => 0 };
        var parallelTicks = new Option<int>("--parallel-ticks") { Description = "peers ticked at once in a stepped round (1 = one after another, the same results for the same seed; more = faster rounds)", DefaultValueFactory = _ => 1 };
        var contactSuspect = new Option<int>("--contact-suspect") { Description = "rounds before a silent contact is replaced by a fresher candidate even if farther (0 = never: lowest-RTT contacts)", DefaultValueFactory = _ => 0 };
        var tupleTimeout = new Option<int>("--filetuple-timeout") { Description = "rounds before an unrefreshed filetuple is dropped (0: grows with files per group)", DefaultValueFactory = _ => 0 };
        var files = new Option<int>("--expected-files") { Description = "expected files (sizes the automatic filetuple timeout)", DefaultValueFactory = _ => 1000 };
        var bits = new Option<int>("--bits") { Description = "m: bits of peer ids (32 or less prints decimal ids)", DefaultValueFactory = _ => 160 };
        var clock = new ClockOptions();
        var replicas = new Option<int>("--replicas") { Description = "copies of each file: the home node plus backups at members of its affinity group (1..ceil(N/k); 1 = the paper)", DefaultValueFactory = _ => 1 };
        var durable = DurabilityOptions.Durable();
        var spread = DurabilityOptions.SpreadReplicas();
        return StructuredCommands.Create(
            env,
            "Create a Kelips overlay",
            [expected, groups, contacts, fanout, memberTimeout, contactTimeout, contactSuspect, parallelTicks, tupleTimeout, files, bits, clock.Clock, clock.Period, clock.Seed, replicas, durable, spread],
            parse => clock.Read(parse, new KelipsParameters
            {
                ExpectedPeers = parse.GetValue(expected),
                Groups = parse.GetValue(groups),
                Contacts = parse.GetValue(contacts),
                Fanout = parse.GetValue(fanout),
                MemberTimeoutRounds = parse.GetValue(memberTimeout),
                ContactTimeoutRounds = parse.GetValue(contactTimeout),
                ContactSuspectRounds = parse.GetValue(contactSuspect),
                ParallelTicks = parse.GetValue(parallelTicks),
                FileTupleTimeoutRounds = parse.GetValue(tupleTimeout),
                ExpectedFiles = parse.GetValue(files),
                Bits = parse.GetValue(bits),
                Replicas = parse.GetValue(replicas),
                Durable = parse.GetValue(durable),
                SpreadReplicas = parse.GetValue(spread),
            }),
            (info, parameters) => new { created = info.Name, protocol = KelipsParameters.Name, groups = parameters.GroupCount, contact_timeout = parameters.ToOptions().ContactTimeoutRounds, filetuple_timeout = parameters.ToOptions().FileTupleTimeoutRounds, parameters },
            (info, parameters) => $"created kelips overlay '{info.Name}': k = {parameters.GroupCount} affinity groups, c = {parameters.Contacts} contacts per group, fanout {parameters.Fanout}, timeouts {parameters.MemberTimeoutRounds}/{parameters.ToOptions().ContactTimeoutRounds}/{parameters.ToOptions().FileTupleTimeoutRounds} rounds (member/contact/filetuple){(parameters.ContactSuspectRounds > 0 ? $", contacts suspect after {parameters.ContactSuspectRounds}" : "")}{(parameters.ParallelTicks > 1 ? $", {parameters.ParallelTicks} peers ticked at once" : "")}, replicas = {parameters.Replicas}, {parameters.Clock.ToString().ToLowerInvariant()} clock{DurabilityOptions.Describe(parameters.Durable, parameters.SpreadReplicas)}");
    }

    /// <summary>`join`'s answer: each peer with its affinity group.</summary>
    private static void WriteJoined(CliSession session, KelipsParameters parameters, JoinedPeers joined)
    {
        var groups = new AffinityGroups(parameters.GroupCount);
        var f = parameters.Space.Format;
        if (session.Json)
        {
            session.WriteJson(new { joined = joined.Peers.Select(j => new { id = f(j), group = groups.Of(j) }).ToArray(), members = joined.Members, converged = joined.Converged });
            return;
        }

        var shown = string.Join(", ", joined.Peers.Take(8).Select(j => $"{f(j)} (group {groups.Of(j)})")) + (joined.Peers.Count > 8 ? ", …" : "");
        session.Out.WriteLine($"joined {joined.Peers.Count} peer(s) to '{joined.Overlay}'{(joined.Converged ? " (converged build: views and contacts installed, no gossip)" : "")}: {shown}; {joined.Members} members");
    }

    private static Command Insert(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var file = new Argument<string>("file") { Description = "file name (hashed with SHA-1 to its affinity group)" };
        var content = new Option<string?>("--content") { Description = "file content stored at the home node (default: the name)" };
        var from = new Option<string?>("--from") { Description = "uploading peer, the file's home node (default: a random member)" };
        var command = new Command("insert", "Store a file at the uploader (its home node); its filetuple goes to a contact in the file's group") { name, file, content, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<KelipsParameters>(parse.GetValue(name)!, "kelips", ct);
            var fileName = CheckFile(parse.GetValue(file));

            // A home that did not answer is replaced by another: at worst the file ends up at two homes.
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).InsertAsync(fileName, parse.GetValue(content) ?? fileName), ct)).Value;
            WritePublish(session, parameters, result);
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Remove(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var file = new Argument<string>("file") { Description = "file name" };
        var from = new Option<string>("--from") { Description = "the file's home node (the peer that inserted it)", Required = true };
        var command = new Command("remove", "Delete a file at its home node; a tombstone filetuple spreads like an insert") { name, file, from };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await RequireKelipsAsync(client, parse.GetValue(name)!);
            var fileName = CheckFile(parse.GetValue(file));
            var home = await RequireMemberAsync(client, overlay, parameters, parse.GetValue(from)!, "--from");
            var result = await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, home)).DeleteAsync(fileName);
            WritePublish(session, parameters, result);
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Lookup(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var file = new Argument<string>("file") { Description = "file name" };
        var from = StructuredCommands.FromOption();
        var command = new Command("lookup", "Find a file's home node (one hop to a contact in its group), then fetch it; traced") { name, file, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<KelipsParameters>(parse.GetValue(name)!, "kelips", ct);
            var fileName = CheckFile(parse.GetValue(file));
            var result = await access.AvailableFromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).LookupAsync(fileName),
                r => r.HomeUnreachable ? "its home node did not answer the fetch" : null, $"file '{fileName}'", ct);
            WriteLookup(session, parameters, result);
            return result.Lookup.Success ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Groups(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command("groups", "The affinity groups: members, files, view completeness and filetuple coverage") { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await RequireKelipsAsync(client, parse.GetValue(name)!);
            var report = await client.GetGrain<IKelipsOverlayGrain>(overlay).CheckAsync();
            if (session.Json)
            {
                session.WriteJson(new { k = parameters.GroupCount, groups = report.Groups });
                return P2PCli.Ok;
            }

            session.Console.Write(GroupsTable(report));
            session.Out.WriteLine($"k = {parameters.GroupCount} groups ({report.Groups.Count} non-empty), {report.Peers} peers, {report.Files} files");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command View(CommandEnvironment env) => StructuredCommands.PeerState<KelipsParameters, IKelipsPeerGrain, KelipsPeerState>(
        env,
        KelipsParameters.Name,
        "view",
        "A peer's soft state: its affinity group view, contacts and filetuples",
        idRequired: true,
        peer => peer.GetStateAsync(),
        (session, parameters, peer, state) =>
        {
            var f = parameters.Space.Format;
            if (session.Json)
            {
                session.WriteJson(new
                {
                    id = f(state.Id),
                    group = state.Group,
                    round = state.Round,
                    view = state.View.Select(e => new { id = f(e.Id), heartbeat = e.Heartbeat, rtt_ms = Math.Round(e.RttMs, 3), last_refresh = e.LastRefreshRound }),
                    contacts = state.Contacts.Select(e => new { id = f(e.Id), group = e.Group, heartbeat = e.Heartbeat, rtt_ms = Math.Round(e.RttMs, 3), last_refresh = e.LastRefreshRound }),
                    filetuples = state.FileTuples.Select(t => new { file = t.FileName, home = f(t.HomeNode), heartbeat = t.Heartbeat, deleted = t.Deleted }),
                    hosted = state.HostedFiles,
                    counters = state.Counters,
                });
                return;
            }

            var view = new Table().Title($"group {state.Group} view").AddColumns("member", "heartbeat", "rtt ms", "refreshed");
            foreach (var e in state.View)
            {
                view.AddRow(f(e.Id), e.Heartbeat.ToString(), e.RttMs.ToString("F1"), e.LastRefreshRound.ToString());
            }

            var contacts = new Table().Title("contacts").AddColumns("group", "contact", "heartbeat", "rtt ms");
            foreach (var e in state.Contacts)
            {
                contacts.AddRow(e.Group.ToString(), f(e.Id), e.Heartbeat.ToString(), e.RttMs.ToString("F1"));
            }

            var tuples = new Table().Title("filetuples").AddColumns("file", "home node", "heartbeat", "state");
            foreach (var t in state.FileTuples.Take(64))
            {
                tuples.AddRow(Markup.Escape(t.FileName), f(t.HomeNode), t.Heartbeat.ToString(), t.Deleted ? "deleted" : "live");
            }

            session.Console.Write(view);
            session.Console.Write(contacts);
            session.Console.Write(tuples);
            var c = state.Counters;
            session.Out.WriteLine($"peer {f(state.Id)} (group {state.Group}, round {state.Round}): {c.ViewEntries} members, {c.ContactEntries} contacts, {c.FileTupleEntries} filetuples = {c.StateBytes:N0} B (model); home of {state.HostedFiles.Count} file(s){(state.HostedFiles.Count == 0 ? "" : " (" + string.Join(", ", state.HostedFiles.Take(8)) + (state.HostedFiles.Count > 8 ? ", …" : "") + ")")}; sent {c.GossipMessages} gossip messages, {c.GossipBytes:N0} B over {c.Rounds} rounds");
        });

    private static Command Check(CommandEnvironment env) => StructuredCommands.Check<KelipsParameters, KelipsCheckReport>(
        env,
        KelipsParameters.Name,
        "Compare every peer's view, contacts and filetuples with the ground truth",
        (client, overlay) => client.GetGrain<IKelipsOverlayGrain>(overlay).CheckAsync(),
        (session, report) =>
        {
            var table = new Table().AddColumns("check", "value");
            table.AddRow("view completeness (mean)", Render.Percent(report.ViewCompleteness));
            table.AddRow("complete views", $"{report.CompleteViews} / {report.Peers}");
            table.AddRow("dead members in views", report.StaleViewEntries.ToString());
            table.AddRow("foreign groups with a live contact", Render.Percent(report.ContactCoverage));
            table.AddRow("dead contacts", $"{report.DeadContacts} / {report.TotalContacts}");
            table.AddRow("filetuple coverage (mean)", Render.Percent(report.FileTupleCoverage));
            table.AddRow("live files of a group with no live member", report.UnindexedFiles.ToString());
            table.AddRow("state per peer (model)", $"{report.MeanStateBytes:N0} B");
            table.AddRow("gossip per peer per round", $"{report.GossipMessagesPerPeerPerRound:F2} messages, {report.GossipBytesPerPeerPerRound:N0} B");
            session.Console.Write(table);
            session.Console.Write(GroupsTable(report));
            session.Out.WriteLine($"{report.Peers} live peers, k = {report.GroupCount}, {report.Files} live files; {(report.Converged ? "converged" : "not converged")}");
        });

    internal static Table GroupsTable(KelipsCheckReport report)
    {
        var table = new Table().AddColumns("group", "members", "files", "view completeness", "complete views", "filetuple coverage");
        foreach (var g in report.Groups)
        {
            table.AddRow(g.Group.ToString(), g.Members.ToString(), g.Files.ToString(), Render.Percent(g.ViewCompleteness), $"{g.CompleteViews} / {g.Members}", Render.Percent(g.FileTupleCoverage));
        }

        return table;
    }

    internal static void WriteLookup(CliSession session, KelipsParameters parameters, KelipsLookupResult r)
    {
        if (session.Json)
        {
            session.WriteJson(KelipsLookupTrace.Of(parameters, r));
            return;
        }

        var space = parameters.Space;
        session.Console.Write(Render.PathTable(space, r.Lookup));
        session.Console.MarkupLine(r.Lookup.Success
            ? $"'{Markup.Escape(r.FileName)}' (group {r.FileGroup}) -> home node [bold]{space.Format(r.Lookup.Owner)}[/] in [bold]{r.PathLength}[/] hop(s) ({r.Lookup.Messages} peer(s) asked), {r.Lookup.LatencyMs:F1} ms simulated; " +
              (r.Fetched ? $"fetched {r.Content!.Length} B from the home node (+{r.FetchRttMs:F1} ms)" : "[red]the home node did not serve it[/]")
            : $"[red]lookup of '{Markup.Escape(r.FileName)}' (group {r.FileGroup}) failed after asking {r.Lookup.Messages} peer(s): {Markup.Escape(r.Lookup.Error ?? "unknown")}[/]");
    }

    private static void WritePublish(CliSession session, KelipsParameters parameters, KelipsInsertResult result)
    {
        var f = parameters.Space.Format;
        if (session.Json)
        {
            session.WriteJson(new { file = result.FileName, home = f(result.Home), group = result.FileGroup, sent_to = result.SentTo is { } s ? f(s) : null, deleted = result.Deleted });
            return;
        }

        var verb = result.Deleted ? "deleted" : "stored";
        var where = result.SentTo is { } to
            ? $"filetuple sent to contact {f(to)} of group {result.FileGroup}"
            : $"filetuple spreads by gossip in group {result.FileGroup}";
        session.Out.WriteLine($"{verb} '{result.FileName}' at home node {f(result.Home)}; {where}");
    }

    private static string CheckFile(string? file) =>
        string.IsNullOrWhiteSpace(file) || file.Length > 1024 ? throw new CliException("a file name must be 1 to 1024 characters and not blank") : file;

    internal static Task<(string Overlay, KelipsParameters Parameters)> RequireKelipsAsync(IClusterClient client, string overlay) =>
        OverlayCommands.RequireProtocolAsync<KelipsParameters>(client, overlay, "kelips");

    private static Task<NodeId> RequireMemberAsync(IClusterClient client, string overlay, KelipsParameters parameters, string text, string what = "--id") =>
        MemberCommands.RequireMemberAsync<IKelipsPeerGrain>(client, overlay, parameters, text, what);

    private static IKelipsPeerGrain Peer(IClusterClient client, string overlay, NodeId id) => KelipsAdapter.Peer(client, overlay, id);
}
