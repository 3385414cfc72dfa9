using System.CommandLine;
using P2POrleans.Common;
using P2POrleans.Pastry;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p pastry create|join|leave|fail|lookup|put|get|table|leafset|check|step`.</summary>
public static class PastryCommands
{
    public static Command Build(CommandEnvironment env)
    {
        var pastry = new Command("pastry", "Pastry: prefix routing with leaf sets and proximity-aware routing tables (Rowstron & Druschel 2001)");
        pastry.Subcommands.Add(Create(env));
        pastry.Subcommands.Add(Join(env));
        pastry.Subcommands.Add(MemberCommands.Leave<PastryParameters, IPastryPeerGrain>(env, "pastry", "Graceful leave: keys handed to the replicas, known peers told"));
        pastry.Subcommands.Add(MemberCommands.Fail<PastryParameters, IPastryPeerGrain>(env, "pastry"));
        pastry.Subcommands.Add(Lookup(env));
        pastry.Subcommands.Add(Put(env));
        pastry.Subcommands.Add(Get(env));
        pastry.Subcommands.Add(Table(env));
        pastry.Subcommands.Add(LeafSet(env));
        pastry.Subcommands.Add(Check(env));
        pastry.Subcommands.Add(MemberCommands.Step<PastryParameters>(env, "pastry", "probing, leaf-set and routing-table repair and replication", "Advance the stepped clock: every live peer runs its periodic work once per round"));
        return pastry;
    }

    private static Command Create(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var bits = new Option<int>("--bits") { Description = "m: bits of the id space (1..128)", DefaultValueFactory = _ => 128 };
        var b = new Option<int>("--b") { Description = "b: bits per digit (1..8)", DefaultValueFactory = _ => 4 };
        var leaf = new Option<int>("--leaf") { Description = "|L|: leaf set size (even)", DefaultValueFactory = _ => 16 };
        var neighbours = new Option<int>("--neighbours") { Description = "|M|: neighbourhood set size", DefaultValueFactory = _ => 32 };
        var replicas = new Option<int>("--replicas") { Description = "k: copies of each key, on the k numerically closest peers", DefaultValueFactory = _ => 4 };
        var proximity = new Option<bool>("--proximity") { Description = "proximity neighbour selection (true/false)", DefaultValueFactory = _ => true };
        var mode = new Option<PastryMode>("--mode") { Description = "lookup mode", DefaultValueFactory = _ => PastryMode.Iterative };
        var clock = new Option<ClockMode>("--clock") { Description = "stepped (rounds driven by `step`) or live (grain timers)", DefaultValueFactory = _ => ClockMode.Stepped };
        var period = new Option<int>("--period") { Description = "live clock period in ms", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };
        var durable = DurabilityOptions.Durable();
        var spread = DurabilityOptions.SpreadReplicas();
        var command = new Command("create", "Create a Pastry overlay") { name, bits, b, leaf, neighbours, replicas, proximity, mode, clock, period, seed, durable, spread };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var parameters = new PastryParameters
            {
                Bits = parse.GetValue(bits),
                DigitBits = parse.GetValue(b),
                LeafSetSize = parse.GetValue(leaf),
                NeighbourhoodSize = parse.GetValue(neighbours),
                Replicas = parse.GetValue(replicas),
                ProximitySelection = parse.GetValue(proximity),
                Mode = parse.GetValue(mode),
                Clock = parse.GetValue(clock),
                PeriodMs = parse.GetValue(period),
                Seed = parse.GetValue(seed),
                Durable = parse.GetValue(durable),
                SpreadReplicas = parse.GetValue(spread),
            };
            var problems = parameters.Validate().ToList();
            if (problems.Count > 0)
            {
                throw new CliException(string.Join("; ", problems));
            }

            var info = await client.GetGrain<IOverlayRegistryGrain>(parse.GetValue(name)!).CreateAsync(parameters);
            if (session.Json)
            {
                session.WriteJson(new { created = info.Name, protocol = PastryParameters.Name, parameters });
            }
            else
            {
                session.Out.WriteLine($"created pastry overlay '{info.Name}': m = {parameters.Bits}, b = {parameters.DigitBits}, |L| = {parameters.LeafSetSize}, |M| = {parameters.NeighbourhoodSize}, k = {parameters.Replicas}, proximity selection {(parameters.ProximitySelection ? "on" : "off")}, {parameters.Mode.ToString().ToLowerInvariant()} lookups, {parameters.Clock.ToString().ToLowerInvariant()} clock{DurabilityOptions.Describe(parameters.Durable, parameters.SpreadReplicas)}");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Join(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var count = new Option<int?>("--count") { Description = "number of simulated hosts to join, one after the other" };
        var id = new Option<string?>("--id") { Description = "join one peer with this id (decimal or 0x-hex)" };
        var converged = new Option<bool>("--converged") { Description = "install the converged state directly (experiments) instead of running joins" };
        var command = new Command("join", "Join peers through the join protocol (or --converged)") { name, count, id, converged };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await RequirePastryAsync(client, parse.GetValue(name)!);
            var control = client.GetGrain<IPastryOverlayGrain>(overlay);
            var idText = parse.GetValue(id);
            var n = parse.GetValue(count);
            if (idText is not null && (n is not null || parse.GetValue(converged)))
            {
                throw new CliException("--id joins one peer; it cannot be combined with --count or --converged");
            }

            IReadOnlyList<NodeId> joined;
            if (idText is not null)
            {
                joined = [await control.JoinIdAsync(ParseId(parameters, idText, "--id"))];
            }
            else
            {
                var hosts = n ?? 1;
                if (hosts is < 1 or > 1_000_000)
                {
                    throw new CliException($"--count must be between 1 and 1,000,000 (got {hosts})");
                }

                joined = parse.GetValue(converged) ? await control.BuildConvergedAsync(hosts) : await control.JoinHostsAsync(hosts);
            }

            var info = await OverlayCommands.RequireAsync(client, overlay);
            if (session.Json)
            {
                session.WriteJson(new { joined = joined.Select(parameters.Space.Format).ToArray(), members = info.Members });
            }
            else
            {
                var shown = string.Join(", ", joined.Take(4).Select(parameters.Space.Short)) + (joined.Count > 4 ? ", …" : "");
                session.Out.WriteLine($"joined {joined.Count} peer(s) to '{overlay}' ({shown}); {info.Members} members");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Lookup(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string?>("key") { Description = "key string (hashed with SHA-1, truncated to m bits)", Arity = ArgumentArity.ZeroOrOne };
        var id = new Option<string?>("--id") { Description = "look up this id instead of a key string" };
        var from = new Option<string?>("--from") { Description = "initiating peer (default: a random member)" };
        var command = new Command("lookup", "Route to the numerically closest peer, traced hop by hop with the digits resolved") { name, key, id, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<PastryParameters>(parse.GetValue(name)!, "pastry", ct);
            var keyText = parse.GetValue(key);
            var idText = parse.GetValue(id);
            if ((keyText is null) == (idText is null))
            {
                throw new CliException("give a key string or --id, not both");
            }

            var keyId = idText is not null ? ParseId(parameters, idText, "--id") : parameters.Space.Hash(keyText!);
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).LookupAsync(keyId, keyText), ct)).Value;
            PastryRender.Lookup(session, parameters, result, keyText);
            return result.Success ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Put(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string>("key") { Description = "key string" };
        var value = new Argument<string>("value") { Description = "value to store" };
        var from = new Option<string?>("--from") { Description = "initiating peer (default: a random member)" };
        var command = new Command("put", "Store a value on the k numerically closest peers of the key") { name, key, value, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<PastryParameters>(parse.GetValue(name)!, "pastry", ct);
            var keyText = parse.GetValue(key)!;

            // Put is idempotent (the same value again), so a try that met a silo that went away is repeated.
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).PutAsync(keyText, parse.GetValue(value)!), ct)).Value;
            if (session.Json)
            {
                session.WriteJson(new { stored_at = result.StoredAt.Select(parameters.Space.Format).ToArray(), lookup = PastryRender.LookupJson(parameters, result.Lookup, keyText) });
            }
            else if (result.StoredAt.Count > 0)
            {
                session.Out.WriteLine($"stored '{keyText}' at {string.Join(", ", result.StoredAt.Select(parameters.Space.Short))} (closest first; {result.Lookup.Hops} hops)");
            }
            else
            {
                session.Error.WriteLine($"error: put failed: {result.Lookup.Error}");
            }

            return result.StoredAt.Count > 0 ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Get(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string>("key") { Description = "key string" };
        var from = new Option<string?>("--from") { Description = "initiating peer (default: a random member)" };
        var command = new Command("get", "Read a key from the numerically closest peer (or a replica)") { name, key, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<PastryParameters>(parse.GetValue(name)!, "pastry", ct);
            var keyText = parse.GetValue(key)!;
            var attempted = await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).GetAsync(keyText), ct,
                r => r.Value is null && r.HoldersUnreachable > 0 ? $"{r.HoldersUnreachable} holder(s) of the key did not answer" : null);
            var result = attempted.Value;
            if (attempted.Unavailable is { } why)
            {
                throw new ClusterUnavailableException($"key '{keyText}' is unavailable: {why}; {attempted.Tries}");
            }

            var f = parameters.Space.Format;
            if (session.Json)
            {
                session.WriteJson(new { key = keyText, value = result.Value, found = result.Value is not null, served_by = result.ServedBy is { } s ? f(s) : null, lookup = PastryRender.LookupJson(parameters, result.Lookup, keyText) });
            }
            else if (result.Value is not null)
            {
                session.Out.WriteLine($"{keyText} = {result.Value}  (served by {f(result.ServedBy!.Value)}, owner {f(result.Lookup.Owner)}, {result.Lookup.Hops} hops)");
            }
            else
            {
                session.Error.WriteLine($"error: key '{keyText}' not found" + (result.Lookup.Success ? $" at {f(result.Lookup.Owner)} or its replicas" : $": {result.Lookup.Error}"));
            }

            return result.Value is not null ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Table(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var id = new Option<string?>("--id") { Description = "the peer (default: a random member)" };
        var command = new Command("table", "A peer's routing table: row l holds peers sharing l digits, one per value of digit l") { name, id };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var (overlay, parameters) = await RequirePastryAsync(client, parse.GetValue(name)!);
            var peer = await new OverlayAccess(session, client).InitiatorAsync<IPastryPeerGrain>(overlay, parameters, parse.GetValue(id), ct, "--id");
            var state = await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, peer)).GetStateAsync();
            var space = parameters.Space;
            var network = new NetworkModel(parameters.Seed);
            var entries = state.RoutingTable
                .Select(n => (Row: space.SharedPrefixDigits(peer, n, parameters.DigitBits), Node: n))
                .Select(e => (e.Row, Column: space.Digit(e.Node, e.Row, parameters.DigitBits), e.Node))
                .OrderBy(e => e.Row).ThenBy(e => e.Column).ToList();
            if (session.Json)
            {
                session.WriteJson(new { id = space.Format(peer), digits = PastryRender.Digits(parameters, peer), entries = entries.Select(e => new { row = e.Row, column = e.Column, node = space.Format(e.Node), rtt_ms = Math.Round(network.Rtt(peer, e.Node), 3) }) });
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("row", "col", "node (shared prefix in green)", "rtt ms");
            foreach (var e in entries)
            {
                table.AddRow(e.Row.ToString(), e.Column.ToString("x"), PastryRender.Highlight(parameters, e.Node, peer), network.Rtt(peer, e.Node).ToString("F1"));
            }

            session.Console.Write(table);
            var rows = entries.Count == 0 ? 0 : entries[^1].Row + 1;
            session.Out.WriteLine($"peer {PastryRender.Digits(parameters, peer)}: {entries.Count} entries in {rows} rows (b = {parameters.DigitBits}, {parameters.Columns - 1} useful columns a row)");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command LeafSet(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var id = new Option<string?>("--id") { Description = "the peer (default: a random member)" };
        var command = new Command("leafset", "A peer's leaf set (closest smaller and larger ids) and neighbourhood set") { name, id };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var (overlay, parameters) = await RequirePastryAsync(client, parse.GetValue(name)!);
            var peer = await new OverlayAccess(session, client).InitiatorAsync<IPastryPeerGrain>(overlay, parameters, parse.GetValue(id), ct, "--id");
            var state = await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, peer)).GetStateAsync();
            var f = parameters.Space.Format;
            if (session.Json)
            {
                session.WriteJson(new { id = f(peer), smaller = state.LeafSet.Smaller.Select(f).ToArray(), larger = state.LeafSet.Larger.Select(f).ToArray(), neighbourhood = state.Neighbourhood.Select(f).ToArray(), keys = state.Keys });
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("side", "index", "node");
            for (var i = state.LeafSet.Smaller.Length - 1; i >= 0; i--)
            {
                table.AddRow("smaller", $"-{i + 1}", f(state.LeafSet.Smaller[i]));
            }

            table.AddRow("[bold]self[/]", "0", $"[bold]{f(peer)}[/]");
            for (var i = 0; i < state.LeafSet.Larger.Length; i++)
            {
                table.AddRow("larger", $"+{i + 1}", f(state.LeafSet.Larger[i]));
            }

            session.Console.Write(table);
            session.Out.WriteLine($"{state.LeafSet.Smaller.Length} smaller + {state.LeafSet.Larger.Length} larger leaves (|L| = {parameters.LeafSetSize}); {state.Neighbourhood.Length} neighbourhood members; {state.Keys} keys stored");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Check(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command("check", "Compare every peer's leaf set, routing table and keys with the ground truth of live peers") { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, _) = await RequirePastryAsync(client, parse.GetValue(name)!);
            var report = await client.GetGrain<IPastryOverlayGrain>(overlay).CheckAsync();
            if (session.Json)
            {
                session.WriteJson(report);
                return P2PCli.Ok;
            }

            var t = report.Truth;
            var table = new Table().AddColumns("check", "result");
            table.AddRow("leaf sets exact", $"{t.CorrectLeafSets} / {t.Nodes} ({Render.Percent(t.LeafSetCorrectFraction)})");
            table.AddRow("routing entries valid", $"{t.ValidEntries} / {t.RoutingEntries} ({Render.Percent(t.ValidEntryFraction)})");
            table.AddRow("stale (dead) entries", t.StaleEntries.ToString());
            table.AddRow("misplaced entries", t.MisplacedEntries.ToString());
            table.AddRow("empty slots with a live candidate", $"{t.EmptySlotsWithCandidates} / {t.SlotsWithCandidates} ({Render.Percent(t.MissingEntryFraction)})");
            table.AddRow("keys at the closest peer", $"{report.KeysAtOwner} / {report.DistinctKeys}");
            table.AddRow("replica copies", $"{report.ReplicaCopiesPresent} / {report.ReplicaCopiesExpected}");
            session.Console.Write(table);
            session.Out.WriteLine($"{report.Peers} live peers");
            return P2PCli.Ok;
        }));
        return command;
    }

    internal static Task<(string Overlay, PastryParameters Parameters)> RequirePastryAsync(IClusterClient client, string overlay) =>
        OverlayCommands.RequireProtocolAsync<PastryParameters>(client, overlay, "pastry");

    internal static NodeId ParseId(PastryParameters parameters, string text, string what) => OverlayCommands.ParseId(parameters, text, what);

    private static IPastryPeerGrain Peer(IClusterClient client, string overlay, NodeId id) => client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, id));
}
