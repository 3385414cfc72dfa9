using System.CommandLine;
using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>
/// The verbs Napster, Gnutella and FastTrack share: create|join|leave|fail|share|search|fetch|topology|stats|step,
/// over the same parameters, so the three run on the same peers and files.
/// </summary>
public static class UnstructuredCommands
{
    public static Command Build(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var command = new Command(protocol.Name, protocol.Description);
        command.Subcommands.Add(Create(env, protocol));
        command.Subcommands.Add(Join(env, protocol));
        command.Subcommands.Add(PeerAction(env, protocol, "leave", "Graceful leave", peer => peer.LeaveAsync(), "left"));
        command.Subcommands.Add(PeerAction(env, protocol, "fail", "Crash a peer: nothing is handed over", peer => peer.FailAsync(), "crashed"));
        command.Subcommands.Add(Share(env, protocol));
        command.Subcommands.Add(Search(env, protocol, "search", "Search for files by keywords (traced)"));
        command.Subcommands.Add(Fetch(env, protocol));
        command.Subcommands.Add(Topology(env, protocol));
        command.Subcommands.Add(Stats(env, protocol));
        command.Subcommands.Add(Step(env, protocol));
        return command;
    }

    private static Command Create(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var d = protocol.Defaults;
        var name = OverlayCommands.NameArgument();
        var topology = new Option<string>("--topology") { Description = "tree, random, powerlaw or edges", DefaultValueFactory = _ => Text(d.Topology) };
        var peers = new Option<int>("--peers") { Description = "peers (random, powerlaw)", DefaultValueFactory = _ => d.Peers };
        var degree = new Option<int>("--degree") { Description = "degree (random) or mean degree (powerlaw)", DefaultValueFactory = _ => d.Degree };
        var depth = new Option<int>("--depth") { Description = "depth of the ternary tree", DefaultValueFactory = _ => d.Depth };
        var edges = new Option<string?>("--edges") { Description = "edge list file (\"a b\" per line) for --topology edges" };
        var freeRiders = new Option<double>("--free-riders") { Description = "fraction of peers that share nothing", DefaultValueFactory = _ => d.FreeRiders };
        var files = new Option<int>("--files") { Description = "files per sharing peer", DefaultValueFactory = _ => d.FilesPerPeer };
        var titles = new Option<int>("--titles") { Description = "distinct titles (Zipf popularity)", DefaultValueFactory = _ => d.Titles };
        var ttl = new Option<int>("--ttl") { Description = "TTL of queries", DefaultValueFactory = _ => d.Ttl };
        var maxTtl = new Option<int>("--max-ttl") { Description = "incoming TTLs above this are clamped", DefaultValueFactory = _ => d.MaxTtl };
        var pongCaching = new Option<bool>("--pong-caching") { Description = "answer Pings from cached Pongs" };
        var queryCaching = new Option<bool>("--query-caching") { Description = "answer repeated Queries from cached QueryHits" };
        var firewalled = new Option<double>("--firewalled") { Description = "fraction of peers behind a firewall (downloads need a Push)", DefaultValueFactory = _ => d.Firewalled };
        var round = new Option<int>("--round-seconds") { Description = "simulated seconds per round", DefaultValueFactory = _ => d.RoundSeconds };
        var seed = new Option<long>("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };
        var command = new Command("create", $"Create a {protocol.Name} overlay with its peers and files")
        {
            name, topology, peers, degree, depth, edges, freeRiders, files, titles, ttl, maxTtl, pongCaching, queryCaching, firewalled, round, seed,
        };
        if (protocol.Defaults is FastTrack.FastTrackParameters)
        {
            AddFastTrackOptions(command);
        }

        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var kind = ParseTopology(parse.GetValue(topology)!, parse.GetValue(edges) is not null);
            string? edgeText = null;
            if (parse.GetValue(edges) is { } file)
            {
                if (kind != TopologyKind.Edges)
                {
                    throw new CliException("--edges goes with --topology edges");
                }

                // A string, not a FileInfo: System.CommandLine's FileInfo conversion throws on a NUL
                // in the path (found by the command-line fuzz) instead of reporting bad input.
                var full = CliPaths.Full(file, "--edges");
                edgeText = File.Exists(full) ? await File.ReadAllTextAsync(full) : throw new CliException($"edge list '{full}' does not exist");
            }
            else if (kind == TopologyKind.Edges)
            {
                throw new CliException("--topology edges needs --edges FILE");
            }

            UnstructuredParameters p = protocol.Defaults with
            {
                Topology = kind,
                Peers = parse.GetValue(peers),
                Degree = parse.GetValue(degree),
                Depth = parse.GetValue(depth),
                EdgeList = edgeText,
                FreeRiders = parse.GetValue(freeRiders),
                FilesPerPeer = parse.GetValue(files),
                Titles = parse.GetValue(titles),
                Ttl = parse.GetValue(ttl),
                MaxTtl = parse.GetValue(maxTtl),
                PongCaching = parse.GetValue(pongCaching),
                QueryCaching = parse.GetValue(queryCaching),
                Firewalled = parse.GetValue(firewalled),
                RoundSeconds = parse.GetValue(round),
                Seed = parse.GetValue(seed),
            };
            p = ApplyFastTrackOptions(command, parse, p);
            var problems = p.Validate().ToList();
            if (problems.Count > 0)
            {
                throw new CliException(string.Join("; ", problems));
            }

            if (edgeText is not null)
            {
                try
                {
                    TopologyGenerator.ParseEdgeList(edgeText);
                }
                catch (FormatException e)
                {
                    throw new CliException($"edge list: {e.Message}");
                }
            }

            var overlay = parse.GetValue(name)!;
            if (await client.GetGrain<IOverlayRegistryGrain>(overlay).GetAsync() is not null)
            {
                throw new CliException($"overlay '{overlay}' already exists; delete it first or pick another name");
            }

            var info = await protocol.Create(client, overlay, p);
            if (session.Json)
            {
                session.WriteJson(new { created = info.Name, protocol = protocol.Name, peers = info.Members, parameters = p with { EdgeList = null } });
            }
            else
            {
                session.Out.WriteLine($"created {protocol.Name} overlay '{info.Name}': {info.Members} peers ({Text(p.Topology)}), {p.FreeRiders:P0} free riders, {p.FilesPerPeer} files per sharer from {p.Titles} titles, TTL {p.Ttl} (max {p.MaxTtl})"
                    + (p.PongCaching ? ", pong caching" : "") + (p.QueryCaching ? ", query caching" : "") + (p.Firewalled > 0 ? $", {p.Firewalled:P0} firewalled" : ""));
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static void AddFastTrackOptions(Command command)
    {
        var d = new FastTrack.FastTrackParameters();
        command.Options.Add(new Option<double>("--supernode-threshold") { Description = "reputation that promotes a peer to supernode", DefaultValueFactory = _ => d.SupernodeThreshold });
        command.Options.Add(new Option<int>("--supernode-degree") { Description = "links from each supernode to other supernodes", DefaultValueFactory = _ => d.SupernodeDegree });
        command.Options.Add(new Option<int>("--max-children") { Description = "children a supernode takes", DefaultValueFactory = _ => d.MaxChildren });
    }

    private static UnstructuredParameters ApplyFastTrackOptions(Command command, ParseResult parse, UnstructuredParameters p)
    {
        if (p is not FastTrack.FastTrackParameters ft)
        {
            return p;
        }

        T Get<T>(string option) => parse.GetValue((Option<T>)command.Options.First(o => o.Name == option))!;
        return ft with
        {
            SupernodeThreshold = Get<double>("--supernode-threshold"),
            SupernodeDegree = Get<int>("--supernode-degree"),
            MaxChildren = Get<int>("--max-children"),
        };
    }

    private static Command Join(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var name = OverlayCommands.NameArgument();
        var files = new Option<string[]>("--file") { Description = "a file the newcomer shares (repeatable)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("join", "A new peer joins (through the introducer / host cache / closest supernode)") { name, files };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
            var shared = parse.GetValue(files) ?? [];
            if (shared.Any(string.IsNullOrWhiteSpace))
            {
                throw new CliException("--file needs a non-empty name");
            }

            var node = await protocol.Overlay(client, overlay).JoinAsync(shared);
            session.Out.WriteLine(session.Json ? $"{{ \"joined\": {node} }}" : $"peer {node} joined '{overlay}' sharing {shared.Length} file(s)");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command PeerAction(CommandEnvironment env, UnstructuredProtocol protocol, string verb, string description, Func<IUnstructuredPeer, Task> action, string done)
    {
        var name = OverlayCommands.NameArgument();
        var peer = new Option<int>("--peer") { Description = "the peer's number", Required = true };
        var command = new Command(verb, description) { name, peer };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
            var node = await RequireMemberAsync(client, protocol, overlay, parse.GetValue(peer));
            await action(protocol.Peer(client, overlay, node));
            session.Out.WriteLine(session.Json ? $"{{ \"{done}\": {node} }}" : $"peer {node} {done} ('{overlay}')");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Share(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var name = OverlayCommands.NameArgument();
        var file = new Argument<string>("file") { Description = "file name to share" };
        var peer = new Option<int>("--peer") { Description = "the peer that shares it", Required = true };
        var size = new Option<long>("--size") { Description = "size in bytes", DefaultValueFactory = _ => 3_500_000 };
        var command = new Command("share", "A peer shares one more file") { name, file, peer, size };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
            var text = parse.GetValue(file)!;
            if (KeywordQuery.SplitWords(text).FirstOrDefault() is null || text.Contains('\0', StringComparison.Ordinal))
            {
                throw new CliException("a shared file name needs at least one word (letters or digits) and no NUL");
            }

            var bytes = parse.GetValue(size);
            if (bytes is < 1 or > uint.MaxValue)
            {
                throw new CliException($"--size must be between 1 and {uint.MaxValue:N0} bytes (got {bytes})");
            }

            var node = await RequireMemberAsync(client, protocol, overlay, parse.GetValue(peer));
            var shared = await protocol.Peer(client, overlay, node).ShareAsync(text, (uint)bytes);
            session.Out.WriteLine(session.Json ? $"{{ \"peer\": {node}, \"index\": {shared.Index} }}" : $"peer {node} shares '{shared.Name}' as file {shared.Index}");
            return P2PCli.Ok;
        }));
        return command;
    }

    public static Command Search(CommandEnvironment env, UnstructuredProtocol protocol, string verb, string description)
    {
        var name = OverlayCommands.NameArgument();
        var text = new Argument<string>("text") { Description = "keywords (every word must match; the last may be a prefix)" };
        var from = new Option<int?>("--from") { Description = "the searching peer (default 0)" };
        var ttl = new Option<int?>("--ttl") { Description = "TTL (default: the overlay's)" };
        var limit = new Option<int>("--limit") { Description = "hits to show", DefaultValueFactory = _ => 20 };
        var command = new Command(verb, description) { name, text, from, ttl, limit };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, keywords, node, t) = await SearchInputAsync(client, protocol, parse, name, text, from, ttl);
            var outcome = await protocol.Search(client, overlay, node, keywords, t);
            UnstructuredRender.Query(session, outcome, Math.Max(1, parse.GetValue(limit)));
            return outcome.Success ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Fetch(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var name = OverlayCommands.NameArgument();
        var text = new Argument<string>("text") { Description = "keywords of the file to fetch" };
        var from = new Option<int?>("--from") { Description = "the downloading peer (default 0)" };
        var ttl = new Option<int?>("--ttl") { Description = "TTL of the search (default: the overlay's)" };
        var command = new Command("fetch", "Search, ping the holders, download from the best (traced)") { name, text, from, ttl };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, keywords, node, t) = await SearchInputAsync(client, protocol, parse, name, text, from, ttl);
            var outcome = await protocol.Fetch(client, overlay, node, keywords, t);
            UnstructuredRender.Fetch(session, outcome);
            return outcome.Success ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Topology(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var name = OverlayCommands.NameArgument();
        var limit = new Option<int>("--limit") { Description = "peers to show", DefaultValueFactory = _ => 40 };
        var command = new Command("topology", "The live peers and their links, as the peers hold them") { name, limit };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
            UnstructuredRender.Peers(session, await protocol.Overlay(client, overlay).PeersAsync(), Math.Max(1, parse.GetValue(limit)));
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Stats(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command("stats", "Messages sent and received per descriptor type, summed over the live peers") { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
            var peers = await protocol.Overlay(client, overlay).PeersAsync();
            var sent = peers.Aggregate(DescriptorCounts.Zero, (a, p) => a + p.Sent);
            var received = peers.Aggregate(DescriptorCounts.Zero, (a, p) => a + p.Received);
            var roles = peers.GroupBy(p => p.Role.Split(' ')[0]).ToDictionary(g => g.Key, g => g.Count());
            var stats = new
            {
                overlay,
                protocol = protocol.Name,
                peers = peers.Count,
                roles,
                files = peers.Sum(p => p.Files),
                free_riders = peers.Count(p => p.Files == 0),
                sent,
                received,
                duplicates_dropped = peers.Sum(p => p.Duplicates),
                malformed_rejected = peers.Sum(p => p.Rejected),
            };
            if (session.Json)
            {
                session.WriteJson(stats);
                return P2PCli.Ok;
            }

            session.Out.WriteLine($"'{overlay}' ({protocol.Name}): {stats.peers} live peers ({string.Join(", ", roles.Select(r => $"{r.Value} {r.Key}"))}), {stats.files} files, {stats.free_riders} free riders");
            session.Out.WriteLine($"sent:     {sent.Total} ({UnstructuredRender.Counts(sent)})");
            session.Out.WriteLine($"received: {received.Total} ({UnstructuredRender.Counts(received)})");
            session.Out.WriteLine($"duplicates dropped {stats.duplicates_dropped}, malformed frames rejected {stats.malformed_rejected}");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Step(CommandEnvironment env, UnstructuredProtocol protocol)
    {
        var name = OverlayCommands.NameArgument();
        var rounds = new Option<int>("--rounds") { Description = "rounds to advance", DefaultValueFactory = _ => 1 };
        var command = new Command("step", "Advance the stepped clock (caches expire, reputations grow, peers re-register)") { name, rounds };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
            var n = parse.GetValue(rounds);
            if (n is < 1 or > 100_000)
            {
                throw new CliException($"--rounds must be between 1 and 100,000 (got {n})");
            }

            var round = await client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(n);
            session.Out.WriteLine(session.Json ? $"{{ \"round\": {round} }}" : $"'{overlay}' is at round {round}");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static async Task<(string Overlay, string Text, int Node, int? Ttl)> SearchInputAsync(
        IClusterClient client, UnstructuredProtocol protocol, ParseResult parse, Argument<string> name, Argument<string> text, Option<int?> from, Option<int?> ttl)
    {
        var overlay = await RequireProtocolAsync(client, protocol, parse.GetValue(name)!);
        var keywords = parse.GetValue(text)!;
        if (new KeywordQuery(keywords).IsEmpty)
        {
            throw new CliException("the search text needs at least one word (letters or digits)");
        }

        if (keywords.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliException("the search text cannot contain NUL");
        }

        var t = parse.GetValue(ttl);
        if (t is < 1 or > 255)
        {
            throw new CliException($"--ttl must be between 1 and 255 (got {t})");
        }

        var node = await RequireMemberAsync(client, protocol, overlay, parse.GetValue(from) ?? 0);
        return (overlay, keywords, node, t);
    }

    public static async Task<string> RequireProtocolAsync(IClusterClient client, UnstructuredProtocol protocol, string overlay)
    {
        var info = await OverlayCommands.RequireAsync(client, overlay);
        return info.Parameters.Protocol == protocol.Name
            ? overlay
            : throw new CliException($"overlay '{overlay}' is a {info.Parameters.Protocol} overlay, not {protocol.Name}");
    }

    public static async Task<int> RequireMemberAsync(IClusterClient client, UnstructuredProtocol protocol, string overlay, int node)
    {
        try
        {
            return await protocol.Overlay(client, overlay).RequireMemberAsync(node);
        }
        catch (P2PException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>`--edges FILE` alone implies `--topology edges`.</summary>
    private static TopologyKind ParseTopology(string text, bool hasEdges) => (hasEdges && text == "random" ? "edges" : text.ToLowerInvariant()) switch
    {
        "tree" => TopologyKind.Tree,
        "random" => TopologyKind.Random,
        "powerlaw" or "power-law" => TopologyKind.PowerLaw,
        "edges" => TopologyKind.Edges,
        _ => throw new CliException($"--topology must be tree, random, powerlaw or edges (got '{text}')"),
    };

    private static string Text(TopologyKind kind) => kind switch
    {
        TopologyKind.Tree => "tree",
        TopologyKind.PowerLaw => "powerlaw",
        TopologyKind.Edges => "edges",
        _ => "random",
    };

}
