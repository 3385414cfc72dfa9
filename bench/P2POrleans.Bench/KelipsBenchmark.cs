using System.Diagnostics;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Bench;

/// <summary>
/// The Kelips measurements (docs/kelips.md): memory per peer (measured per-entry sizes beside the size
/// model, and the paper's figure for 100,000 peers and 10 million files), gossip messages and bytes
/// per peer per round, rounds for a new filetuple to reach its group, lookup hops and success under
/// churn, and lookups/s against the raw-call baseline.
/// </summary>
public sealed class KelipsBenchmark : IMacroBenchmark
{
    public string Name => "kelips";

    public string Description => "memory, gossip bandwidth, filetuple spread, churn and throughput of Kelips";

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        if (RawCallsBenchmark.ConcurrentCallsPerSecond == 0)
        {
            await new RawCallsBenchmark().RunAsync(host, report, cancellationToken);
        }

        var sizes = new List<(double Node, double Tuple)>();
        foreach (var n in new[] { 1_000, 10_000, 20_000 })
        {
            sizes.Add(Memory(report, n));
        }

        Analytic(report, sizes[^1]);
        await GossipAndSpreadAsync(host, report, 1_000);
        foreach (var rate in new[] { 0.0, 0.01, 0.02, 0.05 })
        {
            await ChurnAsync(host, report, 500, rate);
        }

        await ThroughputAsync(host, report, 1_000);
    }

    /// <summary>
    /// Converged state of n pure peers (every group mate, the c nearest contacts of every foreign
    /// group, one file per peer so F/k = sqrt n tuples each), measured on the heap table by table.
    /// </summary>
    private static (double Node, double Tuple) Memory(BenchReport report, int n)
    {
        var parameters = new KelipsParameters { ExpectedPeers = n, Seed = 23 };
        var options = parameters.ToOptions();
        var network = new NetworkModel(parameters.Seed);
        var ids = Enumerable.Range(0, n).Select(h => parameters.Space.Hash(SimulatedHosts.Address(parameters.Seed, h, SimulatedHosts.PastryKelipsBasePort))).Distinct().ToArray();
        var groups = new AffinityGroups(options.GroupCount);
        var groupOf = ids.Select(groups.Of).ToArray();
        var coords = ids.Select(network.Coordinates).ToArray();
        var byGroup = Enumerable.Range(0, options.GroupCount).Select(g => Enumerable.Range(0, ids.Length).Where(i => groupOf[i] == g).ToArray()).ToArray();
        var files = Enumerable.Range(0, ids.Length).Select(i => (Name: $"file-{i:D7}.dat", Home: ids[(i * 7919) % ids.Length])).ToArray();
        var filesByGroup = files.GroupBy(f => groups.OfFile(f.Name)).ToDictionary(g => g.Key, g => g.ToArray());

        var before = BenchHost.HeapBytes();
        var peers = ids.Select(id => new KelipsSoftState(id, options, network.Rtt, new Random(1))).ToArray();
        var empty = BenchHost.HeapBytes();

        long viewEntries = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            foreach (var j in byGroup[groupOf[i]])
            {
                viewEntries += peers[i].View.Merge(new MemberEntry(ids[j], 1), 0) ? 1 : 0;
            }
        }

        var withViews = BenchHost.HeapBytes();
        long contactEntries = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            for (var g = 0; g < byGroup.Length; g++)
            {
                if (g == groupOf[i])
                {
                    continue;
                }

                var (x, y) = coords[i];
                foreach (var j in byGroup[g].OrderBy(j => ((coords[j].X - x) * (coords[j].X - x)) + ((coords[j].Y - y) * (coords[j].Y - y))).Take(options.ContactsPerGroup))
                {
                    contactEntries += peers[i].Contacts.Offer(new MemberEntry(ids[j], 1), 0) ? 1 : 0;
                }
            }
        }

        var withContacts = BenchHost.HeapBytes();
        long tupleEntries = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            foreach (var f in filesByGroup.GetValueOrDefault(groupOf[i], []))
            {
                // Each peer holds its own copy (a grain deserializes its own), name included.
                tupleEntries += peers[i].FileTuples.Merge(new FileTuple(new string(f.Name.AsSpan()), f.Home, 1), 0) ? 1 : 0;
            }
        }

        var withTuples = BenchHost.HeapBytes();
        GC.KeepAlive(peers);
        var node = (withContacts - withViews + (withViews - empty)) / (double)(viewEntries + contactEntries);
        var viewEntry = (withViews - empty) / (double)viewEntries;
        var contactEntry = (withContacts - withViews) / (double)contactEntries;
        var tupleEntry = (withTuples - withContacts) / (double)Math.Max(1, tupleEntries);
        var p = new Dictionary<string, object> { ["N"] = ids.Length, ["k"] = options.GroupCount, ["c"] = options.ContactsPerGroup, ["F"] = files.Length };
        report.Add("kelips-memory", "view entries per peer", viewEntries / (double)ids.Length, "entries", p);
        report.Add("kelips-memory", "contacts per peer", contactEntries / (double)ids.Length, "entries", p);
        report.Add("kelips-memory", "filetuples per peer", tupleEntries / (double)ids.Length, "entries", p);
        report.Add("kelips-memory", "measured: empty peer objects", (empty - before) / (double)ids.Length, "bytes", p);
        report.Add("kelips-memory", "measured: group view per peer", (withViews - empty) / (double)ids.Length, "bytes", p);
        report.Add("kelips-memory", "measured: contacts per peer", (withContacts - withViews) / (double)ids.Length, "bytes", p);
        report.Add("kelips-memory", "measured: filetuples per peer", (withTuples - withContacts) / (double)ids.Length, "bytes", p);
        report.Add("kelips-memory", "measured: per view entry", viewEntry, "bytes", p);
        report.Add("kelips-memory", "measured: per contact entry", contactEntry, "bytes", p);
        report.Add("kelips-memory", "measured: per filetuple", tupleEntry, "bytes", p);
        report.Add("kelips-memory", "model: state per peer (40 B/node entry, 60 B/tuple)", KelipsSizeModel.StateBytes(viewEntries, contactEntries, tupleEntries) / (double)ids.Length, "bytes", p);
        report.Add("kelips-memory", "model: analytic per peer (same formula)", KelipsSizeModel.AnalyticBytesPerPeer(ids.Length, files.Length), "bytes", p);
        return (node, tupleEntry);
    }

    /// <summary>The paper's configuration, n = 100,000 and F = 10 million, priced by the model and by the measured .NET sizes.</summary>
    private static void Analytic(BenchReport report, (double Node, double Tuple) measured)
    {
        const int n = 100_000;
        const long f = 10_000_000;
        var k = AffinityGroups.DefaultGroupCount(n);
        var nodeEntries = (n / (double)k) + (2.0 * (k - 1));
        var tuples = f / (double)k;
        var p = new Dictionary<string, object> { ["N"] = n, ["F"] = f, ["k"] = k, ["c"] = 2 };
        report.Add("kelips-analytic", "node entries per peer n/k + c(k-1)", nodeEntries, "entries", p);
        report.Add("kelips-analytic", "filetuples per peer F/k", tuples, "entries", p);
        report.Add("kelips-analytic", "model (40 B, 60 B): bytes per peer", KelipsSizeModel.AnalyticBytesPerPeer(n, f), "bytes", p);
        report.Add("kelips-analytic", "measured .NET sizes: bytes per peer", (nodeEntries * measured.Node) + (tuples * measured.Tuple), "bytes", p);
    }

    private static async Task<(IKelipsOverlayGrain Control, IOverlayRegistryGrain Registry, KelipsCheckReport Report, int Rounds)> BuildAsync(BenchHost host, string overlay, KelipsParameters parameters, int n)
    {
        var registry = host.Client.GetGrain<IOverlayRegistryGrain>(overlay);
        await registry.CreateAsync(parameters);
        var control = host.Client.GetGrain<IKelipsOverlayGrain>(overlay);
        await control.JoinHostsAsync(n);
        var report = await control.CheckAsync();
        var rounds = 0;
        while (rounds < 200 && !(report.CompleteViews == report.Peers && report.ContactCoverage >= 1.0))
        {
            await registry.StepAsync(1);
            rounds++;
            report = await control.CheckAsync();
        }

        return (control, registry, report, rounds);
    }

    private static async Task GossipAndSpreadAsync(BenchHost host, BenchReport report, int n)
    {
        var parameters = new KelipsParameters { ExpectedPeers = n, Seed = 5 };
        var (control, registry, check, rounds) = await BuildAsync(host, "bench-kelips-spread", parameters, n);
        var p = new Dictionary<string, object> { ["N"] = n, ["k"] = parameters.GroupCount, ["fanout"] = parameters.Fanout };
        report.Add("kelips-gossip", "rounds until every view and contact set complete", rounds, "rounds", p);
        report.Add("kelips-gossip", "messages per peer per round", check.GossipMessagesPerPeerPerRound, "messages", p);
        report.Add("kelips-gossip", "bytes per peer per round (model)", check.GossipBytesPerPeerPerRound, "bytes", p);
        report.Add("kelips-gossip", "bound: fanout x max message", parameters.Fanout * parameters.ToOptions().MaxMessageBytes, "bytes", p);

        var members = await registry.GetMembersAsync();
        var random = new Random(7);
        var spread = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var home = members[random.Next(members.Count)];
            await host.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For("bench-kelips-spread", home)).InsertAsync($"spread-{i}.iso", "x");
            var r = 0;
            while (r < 100 && (await control.CheckAsync()).FileTupleCoverage < 1.0)
            {
                await registry.StepAsync(1);
                r++;
            }

            spread.Add(r);
        }

        var (mean, _, _, _, max) = Stats.Summary(spread);
        report.Add("kelips-spread", "rounds until a new filetuple reaches its whole group, mean", mean, "rounds", p);
        report.Add("kelips-spread", "rounds until a new filetuple reaches its whole group, max", max, "rounds", p);
        report.Add("kelips-spread", "log2 N", Math.Log2(n), "rounds", p);
        report.Add("kelips-spread", "log2 (N/k), the group size", Math.Log2(n / (double)parameters.GroupCount), "rounds", p);
        await registry.DeleteAsync();
    }

    /// <summary>Every round `rate` of the peers crash and as many new ones join, for 20 rounds; then lookups of files whose home lives.</summary>
    private static async Task ChurnAsync(BenchHost host, BenchReport report, int n, double rate)
    {
        var overlay = $"bench-kelips-churn-{rate:F2}";
        var parameters = new KelipsParameters { ExpectedPeers = n, Seed = 13 };
        var (control, registry, _, _) = await BuildAsync(host, overlay, parameters, n);
        var members = (await registry.GetMembersAsync()).ToList();
        var random = new Random(31);
        var homes = new Dictionary<string, NodeId>();
        for (var i = 0; i < 200; i++)
        {
            var home = members[random.Next(members.Count)];
            homes[$"churn-{i}.mp3"] = home;
            await host.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, home)).InsertAsync($"churn-{i}.mp3", "x");
        }

        await registry.StepAsync(10);
        var perRound = (int)Math.Round(n * rate);
        for (var r = 0; r < 20; r++)
        {
            members = [.. await registry.GetMembersAsync()];
            foreach (var victim in members.OrderBy(_ => random.Next()).Take(perRound))
            {
                await host.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, victim)).FailAsync();
            }

            if (perRound > 0)
            {
                await control.JoinHostsAsync(perRound);
            }

            await registry.StepAsync(1);
        }

        var live = (await registry.GetMembersAsync()).ToHashSet();
        var files = homes.Where(h => live.Contains(h.Value)).Select(h => h.Key).ToList();
        var initiators = live.ToList();
        var results = new List<KelipsLookupResult>();
        for (var i = 0; i < 2_000; i++)
        {
            var from = initiators[random.Next(initiators.Count)];
            results.Add(await host.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, from)).LookupAsync(files[random.Next(files.Count)]));
        }

        var p = new Dictionary<string, object> { ["N"] = n, ["churn per round"] = $"{rate:P0}", ["rounds"] = 20, ["lookups"] = results.Count };
        report.Add("kelips-churn", "lookup success (home found and fetched)", results.Count(r => r.Fetched) / (double)results.Count, "fraction", p);
        report.Add("kelips-churn", "mean hops", results.Average(r => r.Lookup.Hops), "hops", p);
        report.Add("kelips-churn", "max hops", results.Max(r => r.Lookup.Hops), "hops", p);
        report.Add("kelips-churn", "lookups taking at most one hop", results.Count(r => r.Lookup.Hops <= 1) / (double)results.Count, "fraction", p);
        report.Add("kelips-churn", "dead peers met per lookup", results.Average(r => r.Lookup.DeadHopsSkipped), "peers", p);
        await registry.DeleteAsync();
    }

    private static async Task ThroughputAsync(BenchHost host, BenchReport report, int n)
    {
        const string overlay = "bench-kelips-tput";
        var parameters = new KelipsParameters { ExpectedPeers = n, Seed = 3 };
        var (_, registry, _, _) = await BuildAsync(host, overlay, parameters, n);
        var members = await registry.GetMembersAsync();
        var random = new Random(3);
        var files = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var name = $"tput-{i}.bin";
            files.Add(name);
            await host.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, members[random.Next(members.Count)])).InsertAsync(name, "x");
        }

        await registry.StepAsync(15);

        async Task<List<KelipsLookupResult>> RunAsync(int count, int seed)
        {
            var r = new Random(seed);
            var work = Enumerable.Range(0, count).Select(_ => (From: members[r.Next(members.Count)], File: files[r.Next(files.Count)])).ToList();
            var results = new KelipsLookupResult[count];
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, RawCallsBenchmark.Concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    results[i] = await host.Client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, work[i].From)).LookupAsync(work[i].File);
                }
            }));
            return [.. results];
        }

        await RunAsync(3_000, 1);
        var sw = Stopwatch.StartNew();
        var measured = await RunAsync(30_000, 2);
        var perSecond = measured.Count / sw.Elapsed.TotalSeconds;

        // Messages: the peers asked (hops) plus the fetch from the home node.
        var messages = measured.Average(r => r.Lookup.Messages + (r.Fetched && r.Lookup.Owner != r.Lookup.Path[0].Node ? 1 : 0));
        var p = new Dictionary<string, object> { ["N"] = n, ["concurrency"] = RawCallsBenchmark.Concurrency };
        report.Add("kelips-throughput", "lookups/s (lookup + fetch)", perSecond, "lookups/s", p);
        report.Add("kelips-throughput", "mean hops", measured.Average(r => r.Lookup.Hops), "hops", p);
        report.Add("kelips-throughput", "success", measured.Count(r => r.Fetched) / (double)measured.Count, "fraction", p);
        report.Add("kelips-throughput", "grain calls per lookup (hops + fetch)", messages, "calls", p);
        report.Add("kelips-throughput", "lookups/s x calls / raw calls/s", perSecond * messages / RawCallsBenchmark.ConcurrentCallsPerSecond, "ratio", p);
        await registry.DeleteAsync();
    }
}
