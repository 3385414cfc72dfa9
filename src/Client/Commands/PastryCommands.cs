using System.CommandLine;
using P2POrleans.Client.Structured;
using P2POrleans.Common;
using P2POrleans.Pastry;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p pastry create|join|leave|fail|lookup|put|get|table|leafset|check|step`.</summary>
public static class PastryCommands
{
    /// <summary>Pastry's adapter and texts for the verbs it shares with Chord and Kelips.</summary>
    public static StructuredProtocol<PastryParameters, IPastryPeerGrain> Protocol { get; } = new(
        PastryAdapter.Instance,
        JoinDescription: "Join peers through the join protocol (or --converged)",
        JoinCountDescription: "number of simulated hosts to join, one after the other",
        JoinConvergedDescription: "install the converged state directly (experiments) instead of running joins",
        WriteJoined: StructuredCommands.JoinedIds<PastryParameters>(4, (p, id) => p.Space.Short(id)),
        LeaveDescription: "Graceful leave: keys handed to the replicas, known peers told",
        RoundWork: "probing, leaf-set and routing-table repair and replication",
        StepDescription: "Advance the stepped clock: every live peer runs its periodic work once per round");

    /// <summary>Pastry as a distributed hash table: a key's owner is the numerically closest peer (section 2), with the digits each hop resolved.</summary>
    public static KeyValueVerbs<PastryParameters> KeyValue { get; } = new(
        KeyDescription: "key string (hashed with SHA-1, truncated to m bits)",
        LookupDescription: "Route to the numerically closest peer, traced hop by hop with the digits resolved",
        PutDescription: "Store a value on the k numerically closest peers of the key",
        GetDescription: "Read a key from the numerically closest peer (or a replica)",
        StoredId: (p, id) => p.Space.Short(id),
        StoredOrder: "closest first",
        NotFoundAt: owner => $" at {owner} or its replicas",
        LookupJson: PastryRender.LookupJson,
        WriteLookup: PastryRender.Lookup);

    public static Command Build(CommandEnvironment env) => StructuredCommands.KeyValueOverlay(
        env, "Pastry: prefix routing with leaf sets and proximity-aware routing tables (Rowstron & Druschel 2001)", Protocol, KeyValue, Create(env), Table(env), LeafSet(env), Check(env));

    private static Command Create(CommandEnvironment env)
    {
        var bits = new Option<int>("--bits") { Description = "m: bits of the id space (1..128)", DefaultValueFactory = _ => 128 };
        var b = new Option<int>("--b") { Description = "b: bits per digit (1..8)", DefaultValueFactory = _ => 4 };
        var leaf = new Option<int>("--leaf") { Description = "|L|: leaf set size (even)", DefaultValueFactory = _ => 16 };
        var neighbours = new Option<int>("--neighbours") { Description = "|M|: neighbourhood set size", DefaultValueFactory = _ => 32 };
        var replicas = new Option<int>("--replicas") { Description = "k: copies of each key, on the k numerically closest peers", DefaultValueFactory = _ => 4 };
        var proximity = new Option<bool>("--proximity") { Description = "proximity neighbour selection (true/false)", DefaultValueFactory = _ => true };
        var mode = new Option<PastryMode>("--mode") { Description = "lookup mode", DefaultValueFactory = _ => PastryMode.Iterative };
        var clock = new ClockOptions();
        var durable = DurabilityOptions.Durable();
        var spread = DurabilityOptions.SpreadReplicas();
        return StructuredCommands.Create(
            env,
            "Create a Pastry overlay",
            [bits, b, leaf, neighbours, replicas, proximity, mode, clock.Clock, clock.Period, clock.Seed, durable, spread],
            parse => clock.Read(parse, new PastryParameters
            {
                Bits = parse.GetValue(bits),
                DigitBits = parse.GetValue(b),
                LeafSetSize = parse.GetValue(leaf),
                NeighbourhoodSize = parse.GetValue(neighbours),
                Replicas = parse.GetValue(replicas),
                ProximitySelection = parse.GetValue(proximity),
                Mode = parse.GetValue(mode),
                Durable = parse.GetValue(durable),
                SpreadReplicas = parse.GetValue(spread),
            }),
            (info, parameters) => new { created = info.Name, protocol = PastryParameters.Name, parameters },
            (info, parameters) => $"created pastry overlay '{info.Name}': m = {parameters.Bits}, b = {parameters.DigitBits}, |L| = {parameters.LeafSetSize}, |M| = {parameters.NeighbourhoodSize}, k = {parameters.Replicas}, proximity selection {(parameters.ProximitySelection ? "on" : "off")}, {parameters.Mode.ToString().ToLowerInvariant()} lookups, {parameters.Clock.ToString().ToLowerInvariant()} clock{DurabilityOptions.Describe(parameters.Durable, parameters.SpreadReplicas)}");
    }

    private static Command Table(CommandEnvironment env) => PeerState(
        env,
        "table",
        "A peer's routing table: row l holds peers sharing l digits, one per value of digit l",
        (session, parameters, peer, state) =>
        {
            var space = parameters.Space;
            var network = new NetworkModel(parameters.Seed);
            var entries = state.RoutingTable
                .Select(n => (Row: space.SharedPrefixDigits(peer, n, parameters.DigitBits), Node: n))
                .Select(e => (e.Row, Column: space.Digit(e.Node, e.Row, parameters.DigitBits), e.Node))
                .OrderBy(e => e.Row).ThenBy(e => e.Column).ToList();
            if (session.Json)
            {
                session.WriteJson(new { id = space.Format(peer), digits = PastryRender.Digits(parameters, peer), entries = entries.Select(e => new { row = e.Row, column = e.Column, node = space.Format(e.Node), rtt_ms = Math.Round(network.Rtt(peer, e.Node), 3) }) });
                return;
            }

            var table = new Table().AddColumns("row", "col", "node (shared prefix in green)", "rtt ms");
            foreach (var e in entries)
            {
                table.AddRow(e.Row.ToString(), e.Column.ToString("x"), PastryRender.Highlight(parameters, e.Node, peer), network.Rtt(peer, e.Node).ToString("F1"));
            }

            session.Console.Write(table);
            var rows = entries.Count == 0 ? 0 : entries[^1].Row + 1;
            session.Out.WriteLine($"peer {PastryRender.Digits(parameters, peer)}: {entries.Count} entries in {rows} rows (b = {parameters.DigitBits}, {parameters.Columns - 1} useful columns a row)");
        });

    private static Command LeafSet(CommandEnvironment env) => PeerState(
        env,
        "leafset",
        "A peer's leaf set (closest smaller and larger ids) and neighbourhood set",
        (session, parameters, peer, state) =>
        {
            var f = parameters.Space.Format;
            if (session.Json)
            {
                session.WriteJson(new { id = f(peer), smaller = state.LeafSet.Smaller.Select(f).ToArray(), larger = state.LeafSet.Larger.Select(f).ToArray(), neighbourhood = state.Neighbourhood.Select(f).ToArray(), keys = state.Keys });
                return;
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
        });

    /// <summary>A Pastry peer's state (`--id` or a random member).</summary>
    private static Command PeerState(CommandEnvironment env, string verb, string description, Action<CliSession, PastryParameters, NodeId, PastryPeerState> write) =>
        StructuredCommands.PeerState<PastryParameters, IPastryPeerGrain, PastryPeerState>(env, PastryParameters.Name, verb, description, idRequired: false, peer => peer.GetStateAsync(), write);

    private static Command Check(CommandEnvironment env) => StructuredCommands.Check<PastryParameters, PastryCheckReport>(
        env,
        PastryParameters.Name,
        "Compare every peer's leaf set, routing table and keys with the ground truth of live peers",
        (client, overlay) => client.GetGrain<IPastryOverlayGrain>(overlay).CheckAsync(),
        (session, report) =>
        {
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
        });

    internal static Task<(string Overlay, PastryParameters Parameters)> RequirePastryAsync(IClusterClient client, string overlay) =>
        OverlayCommands.RequireProtocolAsync<PastryParameters>(client, overlay, "pastry");
}
