using System.CommandLine;
using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Client.Structured;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p chord create|join|leave|fail|lookup|put|get|ring|fingers|check|step`.</summary>
public static class ChordCommands
{
    /// <summary>Chord's adapter and texts for the verbs it shares with Pastry and Kelips.</summary>
    public static StructuredProtocol<ChordParameters, IChordPeerGrain> Protocol { get; } = new(
        ChordAdapter.Instance,
        JoinDescription: "Join peers through the join protocol (or --converged)",
        JoinCountDescription: "number of simulated hosts to join (each with the overlay's vnodes)",
        JoinConvergedDescription: "install the ideal ring state directly (experiments) instead of running joins",
        WriteJoined: StructuredCommands.JoinedIds<ChordParameters>(8, (p, id) => p.Space.Format(id)),
        LeaveDescription: "Graceful leave: keys and neighbours handed over",
        RoundWork: "stabilize, fix_fingers, check_predecessor and replication",
        StepDescription: "Advance the stepped clock: every live peer runs its periodic work once per round");

    /// <summary>Chord as a distributed hash table: a key's owner is its successor (section 4.2).</summary>
    public static KeyValueVerbs<ChordParameters> KeyValue { get; } = new(
        KeyDescription: "key string (hashed with SHA-1)",
        LookupDescription: "find_successor of a key, traced hop by hop",
        PutDescription: "Store a value at the key's owner and its replicas",
        GetDescription: "Read a key from its owner (or a replica)",
        StoredId: (p, id) => p.Space.Format(id),
        StoredOrder: "owner first",
        NotFoundAt: owner => $" at its owner {owner} or replicas",
        LookupJson: (p, r, key) => Render.LookupJson(p.Space, r, key),
        WriteLookup: (session, p, r, key) => Render.Lookup(session, p.Space, r, key));

    public static Command Build(CommandEnvironment env) => StructuredCommands.KeyValueOverlay(
        env, "Chord: a ring of SHA-1 ids with successor lists and finger tables (Stoica et al. 2001)", Protocol, KeyValue, Create(env), Ring(env), Fingers(env), Check(env));

    private static Command Create(CommandEnvironment env)
    {
        var bits = new Option<int>("--bits") { Description = "m: bits of the id space (1..160)", DefaultValueFactory = _ => 160 };
        var successors = new Option<int>("--successors") { Description = "r: successor list length", DefaultValueFactory = _ => 8 };
        var replicas = new Option<int>("--replicas") { Description = "copies of each key (owner + successors)", DefaultValueFactory = _ => 3 };
        var vnodes = new Option<int>("--vnodes") { Description = "virtual nodes per host", DefaultValueFactory = _ => 1 };
        var mode = new Option<ChordMode>("--mode") { Description = "lookup mode", DefaultValueFactory = _ => ChordMode.Iterative };
        var clock = new ClockOptions();
        var durable = DurabilityOptions.Durable();
        var spread = DurabilityOptions.SpreadReplicas();
        return StructuredCommands.Create(
            env,
            "Create a Chord overlay",
            [bits, successors, replicas, vnodes, mode, clock.Clock, clock.Period, clock.Seed, durable, spread],
            parse => clock.Read(parse, new ChordParameters
            {
                Bits = parse.GetValue(bits),
                Successors = parse.GetValue(successors),
                Replicas = parse.GetValue(replicas),
                VirtualNodes = parse.GetValue(vnodes),
                Mode = parse.GetValue(mode),
                Durable = parse.GetValue(durable),
                SpreadReplicas = parse.GetValue(spread),
            }),
            (info, parameters) => new { created = info.Name, protocol = "chord", parameters },
            (info, parameters) => $"created chord overlay '{info.Name}': m = {parameters.Bits}, r = {parameters.Successors}, replicas = {parameters.Replicas}, vnodes = {parameters.VirtualNodes}, {parameters.Mode.ToString().ToLowerInvariant()} lookups, {parameters.Clock.ToString().ToLowerInvariant()} clock{DurabilityOptions.Describe(parameters.Durable, parameters.SpreadReplicas)}");
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

    private static Command Fingers(CommandEnvironment env) => StructuredCommands.PeerState<ChordParameters, IChordPeerGrain, ChordPeerState>(
        env,
        ChordParameters.Name,
        "fingers",
        "A peer's finger table (runs of fingers that share a node)",
        idRequired: true,
        peer => peer.GetStateAsync(),
        (session, parameters, peer, state) =>
        {
            var space = parameters.Space;
            var rows = state.Fingers.Select((run, i) =>
            {
                var to = i + 1 < state.Fingers.Count ? state.Fingers[i + 1].From - 1 : space.Bits - 1;
                return new { from = run.From + 1, to = to + 1, start = space.Format(space.AddPowerOfTwo(peer, run.From)), node = space.Format(run.Node) };
            }).ToList();
            if (session.Json)
            {
                session.WriteJson(new { id = space.Format(peer), fingers = rows });
                return;
            }

            var table = new Table().AddColumns("fingers (1-based)", "first start", "node");
            foreach (var r in rows)
            {
                table.AddRow(r.from == r.to ? $"{r.from}" : $"{r.from}..{r.to}", r.start, r.node);
            }

            session.Console.Write(table);
            session.Out.WriteLine($"peer {space.Format(peer)}: {rows.Count} distinct runs over m = {space.Bits} fingers; successors {string.Join(" ", state.Successors.Select(space.Format))}");
        });

    private static Command Check(CommandEnvironment env) => StructuredCommands.Check<ChordParameters, ChordCheckReport>(
        env,
        ChordParameters.Name,
        "Compare every peer's pointers and keys with the ideal ring of live peers",
        (client, overlay) => client.GetGrain<IChordOverlayGrain>(overlay).CheckAsync(),
        (session, report) =>
        {
            var table = new Table().AddColumns("check", "correct");
            table.AddRow("successors", Render.Percent(report.SuccessorsCorrect));
            table.AddRow("successor lists", Render.Percent(report.SuccessorListsCorrect));
            table.AddRow("predecessors", Render.Percent(report.PredecessorsCorrect));
            table.AddRow("fingers", Render.Percent(report.FingersCorrect));
            table.AddRow("keys at owner", $"{report.KeysAtOwner} / {report.DistinctKeys}");
            table.AddRow("replica copies", $"{report.ReplicaCopiesPresent} / {report.ReplicaCopiesExpected}");
            session.Console.Write(table);
            session.Out.WriteLine($"{report.Peers} live peers");
        });

    internal static Task<(string Overlay, ChordParameters Parameters)> RequireChordAsync(IClusterClient client, string overlay) =>
        OverlayCommands.RequireProtocolAsync<ChordParameters>(client, overlay, "chord");
}
