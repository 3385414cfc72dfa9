using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Kelips;
using P2POrleans.Napster;
using P2POrleans.Pastry;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Experiments;

/// <summary>
/// The seed's trade-off table: memory per node against lookup cost against background bandwidth,
/// Chord, Pastry and Kelips on one workload (same N, seed and key names), with the unstructured
/// three for search cost. What cannot be measured for a system is written "n/a".
/// </summary>
public sealed class TradeoffExperiment : IExperiment
{
    private const string NotApplicable = "n/a";

    public string Name => "tradeoff";

    public string Description => "Chord, Pastry and Kelips side by side on one workload (same N, seed and keys): state per node (entries, bytes under one size model), lookup hops (mean, 99th pct), simulated lookup latency, messages per lookup, background maintenance messages (and bytes where counted) per node per round, lookup success with 10% of the peers crashed before and after repair; Napster, Gnutella and FastTrack on the same N for search cost.";

    public string Paper => "The designs' own claims: Chord O(log N) state and ½·log2 N hops (Stoica et al. 2001); Pastry O(log_16 N) state and < ceil(log_16 N) hops (Rowstron and Druschel 2001); Kelips O(sqrt N) state for O(1) hops, paid for with constant gossip bandwidth (Gupta et al. 2003); unstructured search costs one message (Napster's index) or a flood that grows with TTL (Gnutella, FastTrack among supernodes).";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        int[] sizes = context.Pick<int[]>([64], [1_000], [1_000, 10_000]);
        var lookups = context.Pick(100, 1_000, 3_000);
        var maintenanceRounds = context.Pick(2, 2, 2);
        var repairRounds = context.Pick(2, 3, 3);
        var table = new ExperimentTable("system", "n", "node_entries", "key_entries", "state_bytes", "mean_hops", "p99_hops", "mean_latency_ms", "messages_per_lookup",
            "success", "maint_msgs_per_node_round", "maint_bytes_per_node_round", "success_10pct_failed_before_repair", "success_10pct_failed_after_repair", "repair_rounds");
        var steps = sizes.Length * 4;
        var step = 0;
        foreach (var n in sizes)
        {
            var workload = new Workload(context, n, lookups, maintenanceRounds, repairRounds);
            context.Progress((double)step++ / steps, string.Create(CultureInfo.InvariantCulture, $"Chord, N = {n}"));
            table.Add(await ChordAsync(workload));
            context.Progress((double)step++ / steps, string.Create(CultureInfo.InvariantCulture, $"Pastry, N = {n}"));
            table.Add(await PastryAsync(workload));
            context.Progress((double)step++ / steps, string.Create(CultureInfo.InvariantCulture, $"Kelips, N = {n}"));
            table.Add(await KelipsAsync(workload));
            context.Progress((double)step++ / steps, string.Create(CultureInfo.InvariantCulture, $"Napster, Gnutella, FastTrack, N = {n}"));
            foreach (var row in await UnstructuredAsync(workload))
            {
                table.Add(row);
            }
        }

        var structured = table.Rows.Where(r => r[2] is double).Select(r => (System: (string)r[0], N: (int)r[1], Entries: (double)r[2], Bytes: (double)r[4], Hops: (double)r[5])).ToList();
        var figure = new ExperimentFigure("State per node against lookup hops (one point per N)", "routing entries per node", "mean lookup hops",
            [.. structured.GroupBy(r => r.System).Select(g => new FigureSeries(g.Key, g.Select(r => r.Entries).ToList(), g.Select(r => r.Hops).ToList()))]);
        var comparison = new List<string>();
        foreach (var row in table.Rows)
        {
            comparison.Add(Describe(row));
        }

        comparison.Add("State bytes price every node reference at 40 B and every stored key copy or filetuple at 60 B (KelipsSizeModel, for all three systems), not .NET heap bytes; node entries count every table slot (a node in two tables counts twice).");
        comparison.Add("Maintenance bytes are n/a for Chord and Pastry: their peers count maintenance messages (stabilize, notify, finger fixing, predecessor checks; leaf-set heartbeats, probes, repairs, replication) but not their sizes; Kelips counts its gossip bytes under the size model.");
        comparison.Add("The unstructured rows have no routing state, maintenance or failure columns measured here (n/a): their hops are hops to the first hit, their success is the hit rate of the Zipf query workload of gnutella-ttl (50% free riders), and their state is a neighbour list (Gnutella, FastTrack) or the central index (Napster).");
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["N"] = string.Join(", ", sizes),
            ["keys"] = "F = N keys 'tradeoff-key-i', stored in Chord and Pastry by put and inserted in Kelips at a random home node",
            ["lookups"] = string.Create(CultureInfo.InvariantCulture, $"{lookups} of those keys from random live peers (same key and initiator draws for the three systems)"),
            ["parameters"] = "Chord: m = 160, 8 successors, 3 replicas, converged build; Pastry: b = 4, |L| = 16, |M| = 32, 4 replicas, proximity selection, converged build; Kelips: k = ceil(sqrt N), c = 2, fanout 3, joined one by one then gossip until converged",
            ["maintenance"] = string.Create(CultureInfo.InvariantCulture, $"counters summed over {maintenanceRounds} rounds of the stepped clock on the healthy overlay"),
            ["failures"] = string.Create(CultureInfo.InvariantCulture, $"10% of the peers crash at once; the same lookups from live peers right after and after {repairRounds} rounds (Kelips: only keys whose home node lives)"),
            ["success"] = "Chord: owner = successor of the key among live peers; Pastry: owner = numerically closest live peer; Kelips: filetuple found and file fetched from its home node",
            ["unstructured"] = "random 4-regular graph, 10 files per sharing peer, 50% free riders; Gnutella TTL 7, FastTrack supernode TTL 3, Napster central index",
        });
    }

    private static string Describe(object[] r)
    {
        static string F(object v, string format) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : v.ToString() ?? "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{r[0]}, N = {r[1]}: {F(r[2], "F1")} node entries + {F(r[3], "F1")} key entries = {F(r[4], "F0")} B per node; {F(r[5], "F2")} hops (99th pct {F(r[6], "F0")}), {F(r[7], "F0")} ms, {F(r[8], "F1")} messages per lookup, success {F(r[9], "P1")}; maintenance {F(r[10], "F1")} msgs / {F(r[11], "F0")} B per node per round; 10% crashed: success {F(r[12], "P1")} before repair, {F(r[13], "P1")} after.");
    }

    private static async Task<object[]> ChordAsync(Workload w)
    {
        var parameters = w.Context.Parameters(new ChordParameters());
        var (overlay, members) = await ChordExperimentSupport.BuildAsync(w.Context, "tradeoff", parameters, w.N);
        var space = parameters.Space;
        await ChordExperimentSupport.RunAllAsync(w.PutsFrom(members), p => ChordExperimentSupport.Peer(w.Context, overlay, p.From).PutAsync(p.Key, "v"));
        var states = await ChordExperimentSupport.RunAllAsync(members, id => ChordExperimentSupport.Peer(w.Context, overlay, id).GetStateAsync());
        var entries = states.Average(s => (s.Predecessor is null ? 0 : 1) + s.Successors.Count + (double)s.Fingers.Select(f => f.Node).Distinct().Count());
        var keys = states.Average(s => (double)s.Keys);

        Task<LookupResult> Lookup((NodeId From, string Key) q) => ChordExperimentSupport.Peer(w.Context, overlay, q.From).LookupAsync(space.Hash(q.Key), q.Key);
        var healthy = await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(members), Lookup);
        var ideal = new IdealRing(space, members);
        var success = healthy.Count(r => r.Success && r.Owner == ideal.Successor(r.Key)) / (double)healthy.Length;

        var maintenance = await MaintenanceAsync(w, overlay, async () =>
            (await ChordExperimentSupport.RunAllAsync(members, id => ChordExperimentSupport.Peer(w.Context, overlay, id).GetStateAsync())).Sum(s => s.MaintenanceMessages));

        var live = await FailAsync(w, overlay, members, id => ChordExperimentSupport.Peer(w.Context, overlay, id).FailAsync());
        var liveRing = new IdealRing(space, live);
        double Correct(LookupResult[] rs) => rs.Count(r => r.Success && r.Owner == liveRing.Successor(r.Key)) / (double)rs.Length;
        var before = Correct(await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(live), Lookup, concurrency: 1));
        await StepAsync(w, overlay, w.RepairRounds);
        var after = Correct(await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(live), Lookup, concurrency: 1));
        await ChordExperimentSupport.DeleteAsync(w.Context, overlay);
        return Row("chord", w.N, entries, keys, healthy, success, maintenance, NotApplicable, before, after, w.RepairRounds);
    }

    private static async Task<object[]> PastryAsync(Workload w)
    {
        var parameters = w.Context.Parameters(new PastryParameters());
        var (overlay, members) = await PastryExperimentSupport.BuildAsync(w.Context, "tradeoff", parameters, w.N);
        var space = parameters.Space;
        IPastryPeerGrain Peer(NodeId id) => PastryExperimentSupport.Peer(w.Context, overlay, id);
        await ChordExperimentSupport.RunAllAsync(w.PutsFrom(members), p => Peer(p.From).PutAsync(p.Key, "v"));
        var states = await ChordExperimentSupport.RunAllAsync(members, id => Peer(id).GetStateAsync());
        var entries = states.Average(s => (double)(s.LeafSet.Smaller.Length + s.LeafSet.Larger.Length + s.RoutingTable.Length + s.Neighbourhood.Length));
        var keys = states.Average(s => (double)s.Keys);

        Task<LookupResult> Lookup((NodeId From, string Key) q) => Peer(q.From).LookupAsync(space.Hash(q.Key), q.Key);
        var healthy = await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(members), Lookup);
        var index = new PastryIdIndex(members, parameters);
        var success = healthy.Count(r => r.Success && r.Owner == index.NumericallyClosest(r.Key)) / (double)healthy.Length;

        var maintenance = await MaintenanceAsync(w, overlay, async () =>
            (await ChordExperimentSupport.RunAllAsync(members, id => Peer(id).GetStateAsync())).Sum(s => s.MaintenanceMessages));

        var live = await FailAsync(w, overlay, members, id => Peer(id).FailAsync());
        var liveIndex = new PastryIdIndex(live, parameters);
        double Correct(LookupResult[] rs) => rs.Count(r => r.Success && r.Owner == liveIndex.NumericallyClosest(r.Key)) / (double)rs.Length;
        var before = Correct(await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(live), Lookup, concurrency: 1));
        await StepAsync(w, overlay, w.RepairRounds);
        var after = Correct(await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(live), Lookup, concurrency: 1));
        await w.Context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        return Row("pastry", w.N, entries, keys, healthy, success, maintenance, NotApplicable, before, after, w.RepairRounds);
    }

    private static async Task<object[]> KelipsAsync(Workload w)
    {
        var parameters = w.Context.Parameters(new KelipsParameters { ExpectedPeers = w.N, ExpectedFiles = w.N });
        var overlay = await KelipsExperimentSupport.BuildAsync(w.Context, "tradeoff", parameters, w.N);
        var registry = w.Context.Client.GetGrain<IOverlayRegistryGrain>(overlay);
        var members = await registry.GetMembersAsync();
        var homes = await KelipsExperimentSupport.InsertAsync(w.Context, overlay, members, w.Keys, "tradeoff-insert");
        await KelipsExperimentSupport.ConvergeAsync(w.Context, overlay, maxRounds: 200, checkEvery: w.Context.Pick(1, 2, 5));
        IKelipsPeerGrain Peer(NodeId id) => KelipsExperimentSupport.Peer(w.Context, overlay, id);
        var states = await ChordExperimentSupport.RunAllAsync(members, id => Peer(id).GetStateAsync());
        var entries = states.Average(s => (double)(s.Counters.ViewEntries + s.Counters.ContactEntries));
        var keys = states.Average(s => (double)s.Counters.FileTupleEntries);

        // Lookups can forget dead contacts and refresh RTTs: one at a time, so the numbers do not depend on timing.
        Task<KelipsLookupResult> Lookup((NodeId From, string Key) q) => Peer(q.From).LookupAsync(q.Key);
        var healthy = await ChordExperimentSupport.RunAllAsync(w.LookupsFrom(members), Lookup, concurrency: 1);
        var success = healthy.Count(r => r.Lookup.Success && r.Fetched) / (double)healthy.Length;

        var totals = async () =>
        {
            var s = await ChordExperimentSupport.RunAllAsync(members, id => Peer(id).GetStateAsync());
            return (Messages: s.Sum(x => x.Counters.GossipMessages), Bytes: s.Sum(x => x.Counters.GossipBytes));
        };
        var start = await totals();
        await StepAsync(w, overlay, w.MaintenanceRounds);
        var end = await totals();
        var perNodeRound = (double)w.N * w.MaintenanceRounds;

        var live = await FailAsync(w, overlay, members, id => Peer(id).FailAsync());
        var liveSet = live.ToHashSet();
        double Correct(KelipsLookupResult[] rs) => rs.Count(r => r.Lookup.Success && r.Fetched) / (double)rs.Length;
        var queries = w.LookupsFrom(live).Where(q => liveSet.Contains(homes[q.Key])).ToList();
        var before = Correct(await ChordExperimentSupport.RunAllAsync(queries, Lookup, concurrency: 1));
        await StepAsync(w, overlay, w.RepairRounds);
        var after = Correct(await ChordExperimentSupport.RunAllAsync(queries, Lookup, concurrency: 1));
        await KelipsExperimentSupport.DeleteAsync(w.Context, overlay);
        return Row("kelips", w.N, entries, keys, [.. healthy.Select(r => r.Lookup)], success, (end.Messages - start.Messages) / perNodeRound,
            (end.Bytes - start.Bytes) / perNodeRound, before, after, w.RepairRounds, [.. healthy.Select(r => r.PathLength)]);
    }

    private static async Task<List<object[]>> UnstructuredAsync(Workload w)
    {
        var n = w.N;
        var queryCount = Math.Min(w.Lookups, w.Context.Pick(20, 60, 60));
        T Shared<T>(T template)
            where T : UnstructuredParameters =>
            (T)(template with { Topology = TopologyKind.Random, Peers = n, Degree = 4, FreeRiders = 0.5, FilesPerPeer = 10, Titles = Math.Max(200, n), Seed = w.Context.Seed });

        var world = UnstructuredWorld.Build(Shared(new GnutellaParameters()));
        var random = SeededRandom.Create(w.Context.Seed, "tradeoff-unstructured");
        var workload = world.SampleQueries(queryCount, random).Select(q => (Query: q, From: random.Next(n))).ToList();
        var rows = new List<object[]>();
        var client = w.Context.Client;

        async Task MeasureAsync(string system, Func<int, string, Task<QueryOutcome>> search)
        {
            var outcomes = new List<QueryOutcome>();
            foreach (var (query, from) in workload)
            {
                outcomes.Add(await search(from, query));
            }

            var first = outcomes.Where(o => o.HopsToFirstHit is not null).Select(o => (double)o.HopsToFirstHit!.Value).ToList();
            rows.Add([system, n, NotApplicable, NotApplicable, NotApplicable,
                first.Count == 0 ? NotApplicable : first.Average(), first.Count == 0 ? NotApplicable : Percentile.NearestRank(first, 99), NotApplicable,
                outcomes.Average(o => (double)o.MessageCount), outcomes.Count(o => o.Hits.Count > 0) / (double)outcomes.Count,
                NotApplicable, NotApplicable, NotApplicable, NotApplicable, NotApplicable]);
        }

        var napster = w.Context.NewOverlayName("tradeoff");
        await client.GetGrain<INapsterOverlayGrain>(napster).CreateAsync(Shared(new NapsterParameters()));
        await MeasureAsync("napster", (from, q) => client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(napster, from)).SearchAsync(q));
        var gnutella = w.Context.NewOverlayName("tradeoff");
        await client.GetGrain<IGnutellaOverlayGrain>(gnutella).CreateAsync(Shared(new GnutellaParameters()));
        await MeasureAsync("gnutella", (from, q) => client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(gnutella, from)).QueryAsync(q, 7));
        var fastTrack = w.Context.NewOverlayName("tradeoff");
        await client.GetGrain<IFastTrackOverlayGrain>(fastTrack).CreateAsync(Shared(new FastTrackParameters()));
        await MeasureAsync("fasttrack", (from, q) => client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(fastTrack, from)).SearchAsync(q, 3));
        foreach (var overlay in new[] { napster, gnutella, fastTrack })
        {
            await client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
        }

        return rows;
    }

    // pathLengths: Kelips' route to the answer (KelipsLookupResult.PathLength); Chord and Pastry's hops are their routes.
    private static object[] Row(string system, int n, double entries, double keys, IReadOnlyList<LookupResult> healthy, double success, double maintenanceMessages, object maintenanceBytes, double before, double after, int repairRounds, IReadOnlyList<int>? pathLengths = null)
    {
        var hops = pathLengths?.Select(h => (double)h).ToList() ?? [.. healthy.Select(r => (double)r.Hops)];
        return [system, n, entries, keys, (entries * KelipsSizeModel.NodeEntryBytes) + (keys * KelipsSizeModel.FileTupleBytes), hops.Average(), Percentile.NearestRank(hops, 99),
            healthy.Average(r => r.LatencyMs), healthy.Average(r => (double)r.Messages), success, maintenanceMessages, maintenanceBytes, before, after, repairRounds];
    }

    /// <summary>Maintenance messages per node per round over the workload's rounds on the healthy overlay (counter difference).</summary>
    private static async Task<double> MaintenanceAsync(Workload w, string overlay, Func<Task<long>> total)
    {
        var start = await total();
        await StepAsync(w, overlay, w.MaintenanceRounds);
        return (await total() - start) / ((double)w.N * w.MaintenanceRounds);
    }

    /// <summary>One registry call per round (a long round must not meet one call's response timeout with many rounds behind it).</summary>
    private static async Task StepAsync(Workload w, string overlay, int rounds)
    {
        for (var r = 0; r < rounds; r++)
        {
            w.Context.CancellationToken.ThrowIfCancellationRequested();
            await w.Context.Client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(1);
        }
    }

    /// <summary>Crashes 10% of the members (drawn from the seed, in id order); returns the live ones.</summary>
    private static async Task<List<NodeId>> FailAsync(Workload w, string overlay, IReadOnlyList<NodeId> members, Func<NodeId, Task> fail)
    {
        var random = SeededRandom.Create(w.Context.Seed, "tradeoff-fail");
        var victims = members.OrderBy(_ => random.Next()).Take(members.Count / 10).ToHashSet();
        foreach (var v in victims.Order())
        {
            await fail(v);
        }

        return [.. members.Where(m => !victims.Contains(m))];
    }

    /// <summary>The shared workload: N, the key names, and seeded draws of (initiator index, key).</summary>
    private sealed class Workload(ExperimentContext context, int n, int lookups, int maintenanceRounds, int repairRounds)
    {
        public ExperimentContext Context { get; } = context;

        public int N { get; } = n;

        public int Lookups { get; } = lookups;

        public int MaintenanceRounds { get; } = maintenanceRounds;

        public int RepairRounds { get; } = repairRounds;

        public IReadOnlyList<string> Keys { get; } = [.. Enumerable.Range(0, n).Select(i => string.Create(CultureInfo.InvariantCulture, $"tradeoff-key-{i}"))];

        /// <summary>Every key with the peer that stores it (put / insert), by index into the member list.</summary>
        public List<(NodeId From, string Key)> PutsFrom(IReadOnlyList<NodeId> members)
        {
            var random = SeededRandom.Create(Context.Seed, "tradeoff-put");
            return [.. Keys.Select(k => (members[random.Next(members.Count)], k))];
        }

        /// <summary>The same draws for every system: initiator = index into the (live) member list, key = one of the keys.</summary>
        public List<(NodeId From, string Key)> LookupsFrom(IReadOnlyList<NodeId> initiators)
        {
            var random = SeededRandom.Create(Context.Seed, "tradeoff-lookups");
            return [.. Enumerable.Range(0, Lookups).Select(_ => (initiators[random.Next(initiators.Count)], Keys[random.Next(Keys.Count)]))];
        }
    }
}
