using System.CommandLine;
using P2POrleans.Common;

namespace P2POrleans.Client.Commands;

/// <summary>
/// The verbs Chord, Pastry and Kelips share, built once (docs/architecture.md, the console): `join`,
/// `leave`, `fail` and `step` for all three, `lookup`, `put` and `get` for the distributed hash tables
/// (Chord, Pastry). Each protocol gives a <see cref="StructuredProtocol{TParameters, TPeer}"/> (its
/// adapter and texts) and, for the hash tables, <see cref="KeyValueVerbs{TParameters}"/>; its own
/// verbs (`create`, `ring`, `table`, `insert`, `groups`...) stay in its command file.
/// </summary>
public static class StructuredCommands
{
    /// <summary>Checks the parameters (one error line naming every problem) and creates the overlay in the registry.</summary>
    public static async Task<OverlayInfo> CreateAsync(IClusterClient client, string name, OverlayParameters parameters)
    {
        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new CliException(string.Join("; ", problems));
        }

        return await client.GetGrain<IOverlayRegistryGrain>(name).CreateAsync(parameters);
    }

    /// <summary>
    /// `p2p chord|pastry`: `create`, the shared join/leave/fail and lookup/put/get, the protocol's own
    /// views (ring, table, check...), then `step`.
    /// </summary>
    public static Command KeyValueOverlay<TParameters, TPeer>(CommandEnvironment env, string description, StructuredProtocol<TParameters, TPeer> protocol, KeyValueVerbs<TParameters> verbs, Command create, params Command[] views)
        where TParameters : OverlayParameters
        where TPeer : IKeyValuePeer
    {
        var command = new Command(protocol.Name, description);
        command.Subcommands.Add(create);
        command.Subcommands.Add(Join(env, protocol));
        command.Subcommands.Add(Leave(env, protocol));
        command.Subcommands.Add(Fail(env, protocol));
        command.Subcommands.Add(Lookup(env, protocol, verbs));
        command.Subcommands.Add(Put(env, protocol, verbs));
        command.Subcommands.Add(Get(env, protocol, verbs));
        foreach (var view in views)
        {
            command.Subcommands.Add(view);
        }

        command.Subcommands.Add(Step(env, protocol));
        return command;
    }

    /// <summary>
    /// `create NAME [options]`: the parameters read from <paramref name="options"/> (the protocol's own and the
    /// <see cref="ClockOptions"/>, in the order help lists them), checked, the overlay created; the answer is
    /// <paramref name="json"/> with --json, else the line <paramref name="created"/>.
    /// </summary>
    public static Command Create<TParameters>(CommandEnvironment env, string description, IEnumerable<Option> options, Func<ParseResult, TParameters> read, Func<OverlayInfo, TParameters, object> json, Func<OverlayInfo, TParameters, string> created)
        where TParameters : OverlayParameters
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = OverlayCommands.NameArgument();
        var command = new Command("create", description) { name };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var parameters = read(parse);
            var info = await CreateAsync(client, parse.GetValue(name)!, parameters);
            if (session.Json)
            {
                session.WriteJson(json(info, parameters));
            }
            else
            {
                session.Out.WriteLine(created(info, parameters));
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>
    /// `check NAME`: the overlay grain compares every live peer with the ground truth; the report as it is with
    /// --json, else as <paramref name="write"/> shows it.
    /// </summary>
    public static Command Check<TParameters, TReport>(CommandEnvironment env, string protocol, string description, Func<IClusterClient, string, Task<TReport>> check, Action<CliSession, TReport> write)
        where TParameters : OverlayParameters
        where TReport : notnull
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command("check", description) { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, _) = await OverlayCommands.RequireProtocolAsync<TParameters>(client, parse.GetValue(name)!, protocol);
            var report = await check(client, overlay);
            if (session.Json)
            {
                session.WriteJson(report);
            }
            else
            {
                write(session, report);
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>
    /// A verb that shows one peer's state (`chord fingers`, `pastry table|leafset`, `kelips view`): the overlay
    /// of the protocol, the peer (`--id`: a member, or with <paramref name="idRequired"/> false a random member
    /// when not given) and its state, which <paramref name="write"/> prints as a table or, with --json, as JSON.
    /// </summary>
    public static Command PeerState<TParameters, TPeer, TState>(CommandEnvironment env, string protocol, string verb, string description, bool idRequired, Func<TPeer, Task<TState>> state, Action<CliSession, TParameters, NodeId, TState> write)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer
    {
        var name = OverlayCommands.NameArgument();
        var id = new Option<string?>("--id") { Description = idRequired ? "the peer" : "the peer (default: a random member)", Required = idRequired };
        var command = new Command(verb, description) { name, id };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var (overlay, parameters) = await OverlayCommands.RequireProtocolAsync<TParameters>(client, parse.GetValue(name)!, protocol);
            var peer = idRequired
                ? await MemberCommands.RequireMemberAsync<TPeer>(client, overlay, parameters, parse.GetValue(id)!, "--id")
                : await new OverlayAccess(session, client).InitiatorAsync<TPeer>(overlay, parameters, parse.GetValue(id), ct, "--id");
            write(session, parameters, peer, await state(client.GetGrain<TPeer>(PeerKeys.For(overlay, peer))));
            return P2PCli.Ok;
        }));
        return command;
    }

    public static Command Join<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer
    {
        var name = OverlayCommands.NameArgument();
        var count = new Option<int?>("--count") { Description = protocol.JoinCountDescription };
        var id = new Option<string?>("--id") { Description = "join one peer with this id (decimal or 0x-hex)" };
        var converged = new Option<bool>("--converged") { Description = protocol.JoinConvergedDescription };
        var command = new Command("join", protocol.JoinDescription) { name, count, id, converged };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await OverlayCommands.RequireProtocolAsync<TParameters>(client, parse.GetValue(name)!, protocol.Name);
            var idText = parse.GetValue(id);
            var n = parse.GetValue(count);
            var build = parse.GetValue(converged);
            if (idText is not null && (n is not null || build))
            {
                throw new CliException("--id joins one peer; it cannot be combined with --count or --converged");
            }

            var adapter = protocol.Adapter;
            IReadOnlyList<NodeId> joined;
            if (idText is not null)
            {
                joined = [await adapter.JoinIdAsync(client, overlay, OverlayCommands.ParseId(parameters, idText, "--id"))];
            }
            else
            {
                var hosts = n ?? 1;
                if (hosts is < 1 or > 1_000_000)
                {
                    throw new CliException($"--count must be between 1 and 1,000,000 (got {hosts})");
                }

                joined = build ? await adapter.BuildConvergedAsync(client, overlay, hosts) : await adapter.JoinAsync(client, overlay, hosts);
            }

            var info = await OverlayCommands.RequireAsync(client, overlay);
            protocol.WriteJoined(session, parameters, new JoinedPeers(overlay, joined, info.Members, build));
            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>`join`'s answer for Chord and Pastry: the ids that joined (the first <paramref name="shown"/>) and the members now.</summary>
    public static Action<CliSession, TParameters, JoinedPeers> JoinedIds<TParameters>(int shown, Func<TParameters, NodeId, string> show)
        where TParameters : OverlayParameters => (session, parameters, joined) =>
    {
        if (session.Json)
        {
            session.WriteJson(new { joined = joined.Peers.Select(parameters.Space.Format).ToArray(), members = joined.Members });
            return;
        }

        var ids = string.Join(", ", joined.Peers.Take(shown).Select(p => show(parameters, p))) + (joined.Peers.Count > shown ? ", …" : "");
        session.Out.WriteLine($"joined {joined.Peers.Count} peer(s) to '{joined.Overlay}' ({ids}); {joined.Members} members");
    };

    public static Command Leave<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer =>
        MemberCommands.Leave<TParameters, TPeer>(env, protocol.Name, protocol.LeaveDescription);

    public static Command Fail<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer =>
        MemberCommands.Fail<TParameters, TPeer>(env, protocol.Name);

    public static Command Step<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer =>
        MemberCommands.Step<TParameters>(env, protocol.Name, protocol.RoundWork, protocol.StepDescription);

    /// <summary>`lookup KEY | --id ID [--from PEER]`: the key's owner, traced hop by hop.</summary>
    public static Command Lookup<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol, KeyValueVerbs<TParameters> verbs)
        where TParameters : OverlayParameters
        where TPeer : IKeyValuePeer
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string?>("key") { Description = verbs.KeyDescription, Arity = ArgumentArity.ZeroOrOne };
        var id = new Option<string?>("--id") { Description = "look up this id instead of a key string" };
        var from = FromOption();
        var command = new Command("lookup", verbs.LookupDescription) { name, key, id, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<TParameters>(parse.GetValue(name)!, protocol.Name, ct);
            var keyText = parse.GetValue(key);
            var idText = parse.GetValue(id);
            if ((keyText is null) == (idText is null))
            {
                throw new CliException("give a key string or --id, not both");
            }

            var keyId = idText is not null ? OverlayCommands.ParseId(parameters, idText, "--id") : parameters.Space.Hash(keyText!);
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer<TPeer>(client, overlay, i).LookupAsync(keyId, keyText), ct)).Value;
            verbs.WriteLookup(session, parameters, result, keyText);
            return result.Success ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    /// <summary>`put KEY VALUE [--from PEER]`: stored at the key's owner and its replicas.</summary>
    public static Command Put<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol, KeyValueVerbs<TParameters> verbs)
        where TParameters : OverlayParameters
        where TPeer : IKeyValuePeer
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string>("key") { Description = "key string" };
        var value = new Argument<string>("value") { Description = "value to store" };
        var from = FromOption();
        var command = new Command("put", verbs.PutDescription) { name, key, value, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<TParameters>(parse.GetValue(name)!, protocol.Name, ct);
            var keyText = parse.GetValue(key)!;

            // Put is idempotent (the same value again), so a try that met a silo that went away is repeated.
            var result = (await access.FromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer<TPeer>(client, overlay, i).PutAsync(keyText, parse.GetValue(value)!), ct)).Value;
            if (session.Json)
            {
                session.WriteJson(new { stored_at = result.StoredAt.Select(parameters.Space.Format).ToArray(), lookup = verbs.LookupJson(parameters, result.Lookup, keyText) });
            }
            else if (result.StoredAt.Count > 0)
            {
                session.Out.WriteLine($"stored '{keyText}' at {string.Join(", ", result.StoredAt.Select(s => verbs.StoredId(parameters, s)))} ({verbs.StoredOrder}; {result.Lookup.Hops} hops)");
            }
            else
            {
                session.Error.WriteLine($"error: put failed: {result.Lookup.Error}");
            }

            return result.StoredAt.Count > 0 ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    /// <summary>`get KEY [--from PEER]`: read from the owner or a replica; "unavailable" (exit 3) when its holders did not answer.</summary>
    public static Command Get<TParameters, TPeer>(CommandEnvironment env, StructuredProtocol<TParameters, TPeer> protocol, KeyValueVerbs<TParameters> verbs)
        where TParameters : OverlayParameters
        where TPeer : IKeyValuePeer
    {
        var name = OverlayCommands.NameArgument();
        var key = new Argument<string>("key") { Description = "key string" };
        var from = FromOption();
        var command = new Command("get", verbs.GetDescription) { name, key, from };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var access = new OverlayAccess(session, client);
            var (overlay, parameters) = await access.ParametersAsync<TParameters>(parse.GetValue(name)!, protocol.Name, ct);
            var keyText = parse.GetValue(key)!;
            var result = await access.AvailableFromInitiatorAsync(overlay, parameters, parse.GetValue(from), i => Peer<TPeer>(client, overlay, i).GetAsync(keyText),
                r => r.Value is null && r.HoldersUnreachable > 0 ? $"{r.HoldersUnreachable} holder(s) of the key did not answer" : null, $"key '{keyText}'", ct);
            var f = parameters.Space.Format;
            if (session.Json)
            {
                session.WriteJson(new { key = keyText, value = result.Value, found = result.Value is not null, served_by = result.ServedBy is { } s ? f(s) : null, lookup = verbs.LookupJson(parameters, result.Lookup, keyText) });
            }
            else if (result.Value is not null)
            {
                session.Out.WriteLine($"{keyText} = {result.Value}  (served by {f(result.ServedBy!.Value)}, owner {f(result.Lookup.Owner)}, {result.Lookup.Hops} hops)");
            }
            else
            {
                session.Error.WriteLine($"error: key '{keyText}' not found" + (result.Lookup.Success ? verbs.NotFoundAt(f(result.Lookup.Owner)) : $": {result.Lookup.Error}"));
            }

            return result.Value is not null ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    /// <summary>`--from`: the peer a call starts at.</summary>
    public static Option<string?> FromOption() => new("--from") { Description = "initiating peer (default: a random member)" };

    private static TPeer Peer<TPeer>(IClusterClient client, string overlay, NodeId id)
        where TPeer : IKeyValuePeer => client.GetGrain<TPeer>(PeerKeys.For(overlay, id));
}
