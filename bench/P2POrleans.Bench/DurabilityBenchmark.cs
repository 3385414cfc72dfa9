using System.Diagnostics;
using Orleans.Runtime;
using Orleans.TestingHost;
using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Pastry;
using P2POrleans.Testing;

namespace P2POrleans.Bench;

/// <summary>
/// What durable peers cost in Chord, Pastry and Kelips (joins, puts, lookups and rounds per
/// second, volatile against durable with in-memory and Redis storage) and what they and replica placement buy when a silo of
/// a 3-silo cluster is killed (time to notice, time to the first correct lookup of a key that lived
/// there, keys lost). Runs its own test clusters; the shared bench host is not used.
/// </summary>
public sealed class DurabilityBenchmark : IMacroBenchmark
{
    private const int CostPeers = 200;
    private const int CostPuts = 1_000;
    private static readonly IdSpace PastrySpace = new PastryParameters().Space;
    private const int KillPeers = 300;
    private const int KillKeys = 1_000;

    public string Name => "durability";

    public string Description => "durable peers and replica placement: write cost, silo-kill recovery and keys lost (3-silo clusters)";

    public async Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken)
    {
        await using var redis = await RedisServer.StartAsync();
        foreach (var storage in new[] { "memory", "redis" })
        {
            var cluster = await DurabilityCluster.StartAsync(storage == "redis" ? redis.ConnectionString : null);
            try
            {
                foreach (var workload in CostWorkloads())
                {
                    // Warm up (JIT, connections, storage) first, then measure; noise on a shared machine is 20-40%.
                    await CostAsync(cluster.Client, new BenchReport(), storage + "-warm", workload, durable: true);
                    await CostAsync(cluster.Client, report, storage, workload, durable: false);
                    await CostAsync(cluster.Client, report, storage, workload, durable: true);
                }

                var scenario = storage == "redis"
                    ? ("durable, redis storage, k = 1", new ChordParameters { Replicas = 1, Durable = true, Seed = 31 })
                    : ("volatile, spread replicas, k = 3", new ChordParameters { Replicas = 3, SpreadReplicas = true, Seed = 31 });
                await KillAsync(cluster, report, scenario.Item1, scenario.Item2);
            }
            finally
            {
                await cluster.DisposeAsync();
            }
        }

        foreach (var (name, parameters) in new[]
        {
            ("volatile, plain replicas, k = 3", new ChordParameters { Replicas = 3, Seed = 31 }),
            ("durable, in-memory storage, k = 1", new ChordParameters { Replicas = 1, Durable = true, Seed = 31 }),
        })
        {
            var cluster = await DurabilityCluster.StartAsync(null);
            try
            {
                await KillAsync(cluster, report, name, parameters);
            }
            finally
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Volatile against durable for one protocol on one cluster: joins through the protocol, the first
    /// 10 stepped rounds, 1,000 puts (Kelips: inserts) with 16 concurrent callers, then (after the
    /// untimed rounds Kelips needs to gossip the filetuples) lookups with 64 (Chord and Pastry: 20,000 random ids; Kelips: 5,000 lookups and fetches of the inserted files).
    /// </summary>
    private static async Task CostAsync(IClusterClient client, BenchReport report, string storage, CostWorkload workload, bool durable)
    {
        var overlay = $"cost-{workload.Protocol}-{storage}-{(durable ? "durable" : "volatile")}";
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        await registry.CreateAsync(workload.Parameters(durable));
        var p = new Dictionary<string, object> { ["protocol"] = workload.Protocol, ["storage"] = storage, ["mode"] = durable ? "durable" : "volatile", ["N"] = CostPeers, ["silos"] = 3 };

        var sw = Stopwatch.StartNew();
        await workload.JoinAsync(client, overlay, CostPeers);
        report.Add("durability-cost", "joins/s", CostPeers / sw.Elapsed.TotalSeconds, "joins/s", p);

        sw.Restart();
        await registry.StepAsync(10);
        report.Add("durability-cost", "stepped rounds/s", 10 / sw.Elapsed.TotalSeconds, "rounds/s", p);

        var members = await registry.GetMembersAsync();
        sw.Restart();
        await ForAllAsync(CostPuts, 16, i => workload.PutAsync(client, overlay, members[i % members.Count], $"cost-key-{i}"));
        report.Add("durability-cost", "puts/s", CostPuts / sw.Elapsed.TotalSeconds, "puts/s", p);

        await workload.SettleAsync(client, overlay);
        var random = new Random(3);
        var initiators = Enumerable.Range(0, workload.Lookups).Select(_ => members[random.Next(members.Count)]).ToList();
        var found = 0;
        sw.Restart();
        await ForAllAsync(initiators.Count, 64, async i => Interlocked.Add(ref found, await workload.LookupAsync(client, overlay, initiators[i], i) ? 1 : 0));
        report.Add("durability-cost", "lookups/s", initiators.Count / sw.Elapsed.TotalSeconds, "lookups/s", p);
        report.Add("durability-cost", "lookups that succeeded", found / (double)initiators.Count, "fraction", p);
        await registry.DeleteAsync();
    }

    /// <summary>The cost run of each protocol with durable peers: Replicas = 3 (Kelips: the home and two backups).</summary>
    private static IEnumerable<CostWorkload> CostWorkloads() =>
    [
        new(ChordParameters.Name, 20_000,
            durable => new ChordParameters { Replicas = 3, Durable = durable, Seed = 7 },
            (client, overlay, n) => client.GetGrain<IChordOverlayGrain>(overlay).JoinHostsAsync(n),
            (client, overlay, at, key) => Peer(client, overlay, at).PutAsync(key, "v"),
            (_, _) => Task.CompletedTask,
            async (client, overlay, at, i) => (await Peer(client, overlay, at).LookupAsync(IdSpace.Sha1.Hash($"lookup-{i}"), null)).Success),
        new(PastryParameters.Name, 20_000,
            durable => new PastryParameters { Replicas = 3, Durable = durable, Seed = 7 },
            (client, overlay, n) => client.GetGrain<IPastryOverlayGrain>(overlay).JoinHostsAsync(n),
            (client, overlay, at, key) => client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, at)).PutAsync(key, "v"),
            (_, _) => Task.CompletedTask,
            async (client, overlay, at, i) => (await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, at)).LookupAsync(PastrySpace.Hash($"lookup-{i}"), null)).Success),
        new(KelipsParameters.Name, 5_000,
            durable => new KelipsParameters { ExpectedPeers = CostPeers, ExpectedFiles = CostPuts, Replicas = 3, Durable = durable, Seed = 7 },
            (client, overlay, n) => client.GetGrain<IKelipsOverlayGrain>(overlay).JoinHostsAsync(n),
            (client, overlay, at, key) => client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, at)).InsertAsync(key, "v"),
            SpreadFileTuplesAsync,
            async (client, overlay, at, i) => (await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, at)).LookupAsync($"cost-key-{i % CostPuts}")).Fetched),
    ];

    private static async Task KillAsync(TestCluster cluster, BenchReport report, string scenario, ChordParameters parameters)
    {
        var client = cluster.Client;
        var primary = cluster.Primary!.SiloAddress;
        var overlay = "";
        SiloAddress registryHost = primary;
        for (var i = 0; i < 40; i++)
        {
            overlay = $"kill-{i}";
            registryHost = await client.GetGrain<IOverlayRegistryGrain>(overlay).GetHostAsync();
            if (parameters.Durable != registryHost.Equals(primary))
            {
                break; // durable: the registry dies with the victim too; volatile: it must not
            }
        }

        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        var control = client.GetGrain<IChordOverlayGrain>(overlay);
        await registry.CreateAsync(parameters);
        await control.JoinHostsAsync(KillPeers);
        await StabilizeAsync(registry, control, 60);
        var members = await registry.GetMembersAsync();
        var keys = Enumerable.Range(0, KillKeys).Select(i => $"key-{i}").ToList();
        await ForAllAsync(keys.Count, 16, i => Peer(client, overlay, members[i % members.Count]).PutAsync(keys[i], "value of " + keys[i]));

        var management = client.GetGrain<IManagementGrain>(0);
        var hostOf = new Dictionary<NodeId, SiloAddress>();
        foreach (var m in members)
        {
            hostOf[m] = (await management.GetActivationAddress(Peer(client, overlay, m)))!;
        }

        var victim = cluster.GetActiveSilos().First(s => !s.SiloAddress.Equals(primary) && s.SiloAddress.Equals(registryHost) == parameters.Durable);
        var onVictim = new HashSet<NodeId>();
        foreach (var m in members.Where(m => hostOf[m].Equals(victim.SiloAddress)))
        {
            onVictim.UnionWith(await Peer(client, overlay, m).GetKeyIdsAsync());
        }

        var holders = new Dictionary<NodeId, HashSet<SiloAddress>>();
        foreach (var m in members)
        {
            foreach (var k in await Peer(client, overlay, m).GetKeyIdsAsync())
            {
                (holders.TryGetValue(k, out var set) ? set : holders[k] = []).Add(hostOf[m]);
            }
        }

        var onlyOnVictim = keys.Count(k => holders[IdSpace.Sha1.Hash(k)].All(h => h.Equals(victim.SiloAddress)));
        var probe = keys.First(k => onVictim.Contains(IdSpace.Sha1.Hash(k)));
        var survivor = members.First(m => !hostOf[m].Equals(victim.SiloAddress));

        var clock = Stopwatch.StartNew();
        await cluster.KillSiloAsync(victim);
        while ((await management.GetHosts(onlyActive: true)).Count != 2)
        {
            await Task.Delay(20);
        }

        var noticed = clock.Elapsed.TotalSeconds;
        double? firstCorrect = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && firstCorrect is null)
        {
            if (!parameters.Durable)
            {
                await registry.StepAsync(1); // volatile: the ring repairs only through stabilization
            }

            try
            {
                if ((await Peer(client, overlay, survivor).GetAsync(probe)).Value == "value of " + probe)
                {
                    firstCorrect = clock.Elapsed.TotalSeconds;
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
            }
        }

        var p = new Dictionary<string, object> { ["scenario"] = scenario, ["N"] = KillPeers, ["keys"] = KillKeys, ["silos"] = 3 };
        if (await registry.GetAsync() is null)
        {
            // In-memory storage: the registry's own record was on the killed silo, so the overlay is gone.
            report.Add("durability-kill", "overlay lost with its registry record", 1, "overlays", p);
            report.Add("durability-kill", "keys lost", KillKeys, "keys", p);
            return;
        }

        await StabilizeAsync(registry, control, 80);
        var lost = 0;
        foreach (var key in keys)
        {
            lost += (await Peer(client, overlay, survivor).GetAsync(key)).Value == "value of " + key ? 0 : 1;
        }

        report.Add("durability-kill", "keys whose copies included the killed silo", keys.Count(k => onVictim.Contains(IdSpace.Sha1.Hash(k))), "keys", p);
        report.Add("durability-kill", "keys with every copy on the killed silo", onlyOnVictim, "keys", p);
        report.Add("durability-kill", "kill to membership noticing", noticed, "s", p);
        report.Add("durability-kill", "kill to first correct get of a key that was there", firstCorrect ?? -1, "s (-1: not within 60 s)", p);
        report.Add("durability-kill", "keys lost", lost, "keys", p);
        report.Add("durability-kill", "members after repair", (await registry.GetMembersAsync()).Count, "peers", p);
    }

    private static async Task StabilizeAsync(IOverlayRegistryGrain registry, IChordOverlayGrain control, int maxRounds)
    {
        for (var r = 0; r < maxRounds; r++)
        {
            var check = await control.CheckAsync();
            if (check.RingCorrect && check.SuccessorListsCorrect >= 1.0 && check.ReplicaCopiesPresent == check.ReplicaCopiesExpected)
            {
                return;
            }

            await registry.StepAsync(1);
        }
    }

    /// <summary>Kelips: an insert reaches the home's group by gossip (section 2.1); step until every member holds every filetuple of its group.</summary>
    private static async Task SpreadFileTuplesAsync(IClusterClient client, string overlay)
    {
        var control = client.GetGrain<IKelipsOverlayGrain>(overlay);
        for (var r = 0; r < 100 && (await control.CheckAsync()).FileTupleCoverage < 1.0; r++)
        {
            await client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(1);
        }
    }

    private static IChordPeerGrain Peer(IClusterClient client, string overlay, NodeId id) => client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, id));

    private static async Task ForAllAsync(int count, int concurrency, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
            }
        }));
    }
}
