using System.CommandLine;
using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p chord create|join|leave|fail|lookup|put|get|ring|fingers|check|step`.</summary>
public static class ChordCommands
{
    public static Command Build(CommandEnvironment env)
    {
        var chord = new Command("chord", "Chord: a ring of SHA-1 ids with successor lists and finger tables (Stoica et al. 2001)");
        chord.Subcommands.Add(Create(env));
        chord.Subcommands.Add(Join(env));
        chord.Subcommands.Add(MemberCommands.Leave<ChordParameters, IChordPeerGrain>(env, "chord", "Graceful leave: keys and neighbours handed over"));
        chord.Subcommands.Add(MemberCommands.Fail<ChordParameters, IChordPeerGrain>(env, "chord"));
        chord.Subcommands.Add(Lookup(env));
        chord.Subcommands.Add(Put(env));
        chord.Subcommands.Add(Get(env));
        chord.Subcommands.Add(Ring(env));
        chord.Subcommands.Add(Fingers(env));
        chord.Subcommands.Add(Check(env));
        chord.Subcommands.Add(MemberCommands.Step<ChordParameters>(env, "chord", "stabilize, fix_fingers, check_predecessor and replication", "Advance the stepped clock: every live peer runs its periodic work once per round"));
        return chord;
    }

    private static Command Create(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var bits = new Option<int>("--bits") { Description = "m: bits of the id space (1..160)", DefaultValueFactory = _ => 160 };
        var successors = new Option<int>("--successors") { Description = "r: successor list length", DefaultValueFactory = _ => 8 };
        var replicas = new Option<int>("--replicas") { Description = "copies of each key (owner + successors)", DefaultValueFactory = _ => 3 };
        var vnodes = new Option<int>("--vnodes") { Description = "virtual nodes per host", DefaultValueFactory = _ => 1 };
        var mode = new Option<ChordMode>("--mode") { Description = "lookup mode", DefaultValueFactory = _ => ChordMode.Iterative };
        var clock = new Option<ClockMode>("--clock") { Description = "stepped (rounds driven by `step`) or live (grain timers)", DefaultValueFactory = _ => ClockMode.Stepped };
        var period = new Option<int>("--period") { Description = "live clock period in ms", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };
        var durable = DurabilityOptions.Durable();
        var spread = DurabilityOptions.SpreadReplicas();
        var command = new Command("create", "Create a Chord overlay") { name, bits, successors, replicas, vnodes, mode, clock, period, seed, durable, spread };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var parameters = new ChordParameters
            {
                Bits = parse.GetValue(bits),
                Successors = parse.GetValue(successors),
                Replicas = parse.GetValue(replicas),
                VirtualNodes = parse.GetValue(vnodes),
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
                session.WriteJson(new { created = info.Name, protocol = "chord", parameters });
            }
            else
            {
                session.Out.WriteLine($"created chord overlay '{info.Name}': m = {parameters.Bits}, r = {parameters.Successors}, replicas = {parameters.Replicas}, vnodes = {parameters.VirtualNodes}, {parameters.Mode.ToString().ToLowerInvariant()} lookups, {parameters.Clock.ToString().ToLowerInvariant()} clock{DurabilityOptions.Describe(parameters.Durable, parameters.SpreadReplicas)}");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Join(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var count = new Option<int?>("--count") { Description = "number of simulated hosts to join (each with the overlay's vnodes)" };
        var id = new Option<string?>("--id") { Description = "join one peer with this id (decimal or 0x-hex)" };
        var converged = new Option<bool>("--converged") { Description = "install the ideal ring state directly (experiments) instead of running joins" };
        var command = new Command("join", "Join peers through the join protocol (or --converged)") { name, count, id, converged };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await RequireChordAsync(client, parse.GetValue(name)!);
            var control = client.GetGrain<IChordOverlayGrain>(overlay);
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
                var shown = string.Join(", ", joined.Take(8).Select(parameters.Space.Format)) + (joined.Count > 8 ? ", …" : "");
                session.Out.WriteLine($"joined {joined.Count} peer(s) to '{overlay}' ({shown}); {info.Members} members");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Lookup(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string?>("key") { Description = "key string (hashed with SHA-1)", Arity = ArgumentArity.ZeroOrOne };
        var id = new Option<string?>("--id") { Description = "look up this id instead of a key string" };
        var from = new Option<string?>("--from") { Description = "initiating peer (default: a random member)" };
        var command = new Command("lookup", "find_successor of a key, traced hop by hop") { name, key, id, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<ChordParameters>(parse.GetValue(name)!, "chord", ct);
            var keyText = parse.GetValue(key);
            var idText = parse.GetValue(id);
            if ((keyText is null) == (idText is null))
            {
                throw new CliException("give a key string or --id, not both");
            }

            var keyId = idText is not null ? ParseId(parameters, idText, "--id") : parameters.Space.Hash(keyText!);
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).LookupAsync(keyId, keyText), ct)).Value;
            Render.Lookup(session, parameters.Space, result, keyText);
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
        var command = new Command("put", "Store a value at the key's owner and its replicas") { name, key, value, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<ChordParameters>(parse.GetValue(name)!, "chord", ct);

            // Put is idempotent (the same value again), so a try that met a silo that went away is repeated.
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).PutAsync(parse.GetValue(key)!, parse.GetValue(value)!), ct)).Value;
            if (session.Json)
            {
                session.WriteJson(new { stored_at = result.StoredAt.Select(parameters.Space.Format).ToArray(), lookup = Render.LookupJson(parameters.Space, result.Lookup, parse.GetValue(key)) });
            }
            else if (result.StoredAt.Count > 0)
            {
                session.Out.WriteLine($"stored '{parse.GetValue(key)}' at {string.Join(", ", result.StoredAt.Select(parameters.Space.Format))} (owner first; {result.Lookup.Hops} hops)");
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
        var command = new Command("get", "Read a key from its owner (or a replica)") { name, key, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<ChordParameters>(parse.GetValue(name)!, "chord", ct);
            var keyText = parse.GetValue(key)!;
            var attempted = await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer(client, overlay, i).GetAsync(keyText), ct,
                r => r.Value is null && r.HoldersUnreachable > 0 ? $"{r.HoldersUnreachable} holder(s) of the key did not answer" : null);
            var result = attempted.Value;
            if (attempted.Unavailable is { } why)
            {
                throw new ClusterUnavailableException($"key '{keyText}' is unavailable: {why}; {attempted.Tries}");
            }

            if (session.Json)
            {
                session.WriteJson(new { key = keyText, value = result.Value, found = result.Value is not null, served_by = result.ServedBy is { } s ? parameters.Space.Format(s) : null, lookup = Render.LookupJson(parameters.Space, result.Lookup, keyText) });
            }
            else if (result.Value is not null)
            {
                session.Out.WriteLine($"{keyText} = {result.Value}  (served by {parameters.Space.Format(result.ServedBy!.Value)}, owner {parameters.Space.Format(result.Lookup.Owner)}, {result.Lookup.Hops} hops)");
            }
            else
            {
                session.Error.WriteLine($"error: key '{keyText}' not found" + (result.Lookup.Success ? $" at its owner {parameters.Space.Format(result.Lookup.Owner)} or replicas" : $": {result.Lookup.Error}"));
            }

            return result.Value is not null ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command Ring(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var limit = new Option<int>("--limit") { Description = "peers to show", DefaultValueFactory = _ => 64 };
        var command = new Command("ring", "The peers in ring order with predecessor, successors and keys") { name, limit };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await RequireChordAsync(client, parse.GetValue(name)!);
            var ring = await client.GetGrain<IChordOverlayGrain>(overlay).RingAsync();
            var f = parameters.Space.Format;
            if (session.Json)
            {
                session.WriteJson(ring.Select(p => new { id = f(p.Id), address = p.Address, predecessor = p.Predecessor is { } pr ? f(pr) : null, successors = p.Successors.Select(f).ToArray(), distinct_fingers = p.Fingers.Select(x => x.Node).Distinct().Count(), keys = p.Keys, primary_keys = p.PrimaryKeys }));
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("peer", "address", "predecessor", "successors", "fingers", "keys (own)");
            foreach (var p in ring.Take(Math.Max(1, parse.GetValue(limit))))
            {
                table.AddRow(f(p.Id), Markup.Escape(p.Address), p.Predecessor is { } pr ? f(pr) : "-", string.Join(" ", p.Successors.Take(3).Select(parameters.Space.Short)) + (p.Successors.Count > 3 ? " …" : ""),
                    p.Fingers.Select(x => x.Node).Distinct().Count().ToString(), $"{p.Keys} ({p.PrimaryKeys})");
            }

            session.Console.Write(table);
            session.Out.WriteLine($"{ring.Count} peers");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Fingers(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var id = new Option<string>("--id") { Description = "the peer", Required = true };
        var command = new Command("fingers", "A peer's finger table (runs of fingers that share a node)") { name, id };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await RequireChordAsync(client, parse.GetValue(name)!);
            var peer = await RequireMemberAsync(client, overlay, parameters, parse.GetValue(id)!);
            var state = await client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, peer)).GetStateAsync();
            var space = parameters.Space;
            var rows = state.Fingers.Select((run, i) =>
            {
                var to = i + 1 < state.Fingers.Count ? state.Fingers[i + 1].From - 1 : space.Bits - 1;
                return new { from = run.From + 1, to = to + 1, start = space.Format(space.AddPowerOfTwo(peer, run.From)), node = space.Format(run.Node) };
            }).ToList();
            if (session.Json)
            {
                session.WriteJson(new { id = space.Format(peer), fingers = rows });
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("fingers (1-based)", "first start", "node");
            foreach (var r in rows)
            {
                table.AddRow(r.from == r.to ? $"{r.from}" : $"{r.from}..{r.to}", r.start, r.node);
            }

            session.Console.Write(table);
            session.Out.WriteLine($"peer {space.Format(peer)}: {rows.Count} distinct runs over m = {space.Bits} fingers; successors {string.Join(" ", state.Successors.Select(space.Format))}");
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Check(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command("check", "Compare every peer's pointers and keys with the ideal ring of live peers") { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, _) = await RequireChordAsync(client, parse.GetValue(name)!);
            var report = await client.GetGrain<IChordOverlayGrain>(overlay).CheckAsync();
            if (session.Json)
            {
                session.WriteJson(report);
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("check", "correct");
            table.AddRow("successors", Render.Percent(report.SuccessorsCorrect));
            table.AddRow("successor lists", Render.Percent(report.SuccessorListsCorrect));
            table.AddRow("predecessors", Render.Percent(report.PredecessorsCorrect));
            table.AddRow("fingers", Render.Percent(report.FingersCorrect));
            table.AddRow("keys at owner", $"{report.KeysAtOwner} / {report.DistinctKeys}");
            table.AddRow("replica copies", $"{report.ReplicaCopiesPresent} / {report.ReplicaCopiesExpected}");
            session.Console.Write(table);
            session.Out.WriteLine($"{report.Peers} live peers");
            return P2PCli.Ok;
        }));
        return command;
    }

    internal static Task<(string Overlay, ChordParameters Parameters)> RequireChordAsync(IClusterClient client, string overlay) =>
        OverlayCommands.RequireProtocolAsync<ChordParameters>(client, overlay, "chord");

    internal static NodeId ParseId(ChordParameters parameters, string text, string what) => OverlayCommands.ParseId(parameters, text, what);

    private static Task<NodeId> RequireMemberAsync(IClusterClient client, string overlay, ChordParameters parameters, string text, string what = "--id") =>
        MemberCommands.RequireMemberAsync<IChordPeerGrain>(client, overlay, parameters, text, what);

    private static IChordPeerGrain Peer(IClusterClient client, string overlay, NodeId id) => client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, id));
}
