using System.Diagnostics;
using Orleans.Runtime;
using Orleans.TestingHost;
using P2POrleans.Common;
using Xunit.Sdk;

namespace P2POrleans.ClusterTests;

/// <summary>
/// What the silo-kill tests share: where peers and registries live, which peers hold which
/// keys, the choice of victim, the kill with its membership barrier, and bounded polling barriers.
/// </summary>
public static class SiloKill
{
    /// <summary>The silo each member's peer grain is activated on now.</summary>
    public static async Task<Dictionary<NodeId, SiloAddress>> HostsAsync(IClusterClient client, IEnumerable<NodeId> members, Func<NodeId, IAddressable> peerOf)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var hostOf = new Dictionary<NodeId, SiloAddress>();
        foreach (var m in members)
        {
            hostOf[m] = (await management.GetActivationAddress(peerOf(m)))!;
        }

        return hostOf;
    }

    /// <summary>
    /// The first overlay name "<paramref name="prefix"/>-i" whose registry is placed off the primary
    /// silo, with that silo: the durable tests kill the registry's silo, and the primary is never killed.
    /// </summary>
    public static async Task<(string Name, SiloAddress RegistryHost)> OverlayOffPrimaryAsync(IClusterClient client, TestCluster cluster, string prefix)
    {
        const int tries = 100;
        var primary = cluster.Primary!.SiloAddress;
        for (var i = 0; i < tries; i++)
        {
            var name = $"{prefix}-{i}";
            var host = await client.GetGrain<IOverlayRegistryGrain>(name).GetHostAsync();
            if (!host.Equals(primary))
            {
                return (name, host);
            }
        }

        throw FailException.ForFailure($"none of the registries {prefix}-0..{tries - 1} was placed off the primary silo");
    }

    /// <summary>
    /// Creates overlays "<paramref name="prefix"/>-i" until the grain <paramref name="grainOf"/> names for one is
    /// placed off the primary silo (which holds the test cluster's membership table and is never killed),
    /// deleting the others. Returns that overlay's name and the grain's silo.
    /// </summary>
    public static async Task<(string Name, SiloAddress Host)> CreateOffPrimaryAsync(IClusterClient client, TestCluster cluster, string prefix, Func<string, Task> create, Func<string, IAddressable> grainOf)
    {
        const int tries = 30;
        var management = client.GetGrain<IManagementGrain>(0);
        for (var i = 0; i < tries; i++)
        {
            var name = $"{prefix}-{i}";
            await create(name);
            if (await management.GetActivationAddress(grainOf(name)) is { } host && !host.Equals(cluster.Primary!.SiloAddress))
            {
                return (name, host);
            }

            await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
        }

        throw FailException.ForFailure($"no grain of {prefix}-0..{tries - 1} was placed off the primary silo");
    }

    /// <summary>Which members hold each key id (ground truth taken before a crash).</summary>
    public static async Task<Dictionary<NodeId, HashSet<NodeId>>> KeyHoldersAsync(IEnumerable<NodeId> members, Func<NodeId, Task<IReadOnlyList<NodeId>>> keyIdsOf)
    {
        var holders = new Dictionary<NodeId, HashSet<NodeId>>();
        foreach (var m in members)
        {
            foreach (var k in await keyIdsOf(m))
            {
                (holders.TryGetValue(k, out var set) ? set : holders[k] = []).Add(m);
            }
        }

        return holders;
    }

    /// <summary>
    /// The silo to kill: never the primary, never <paramref name="spare"/> (a volatile registry would die
    /// with it, and it is bookkeeping, not protocol), and of the rest the one hosting the most peers.
    /// </summary>
    public static SiloHandle PickVictim(TestCluster cluster, IReadOnlyDictionary<NodeId, SiloAddress> hostOf, SiloAddress? spare = null) =>
        cluster.GetActiveSilos()
            .Where(s => s != cluster.Primary && !s.SiloAddress.Equals(spare))
            .OrderByDescending(s => hostOf.Values.Count(h => h.Equals(s.SiloAddress)))
            .First();

    /// <summary>The members whose peer grains live on <paramref name="silo"/>.</summary>
    public static HashSet<NodeId> PeersOn(IReadOnlyDictionary<NodeId, SiloAddress> hostOf, SiloHandle silo) =>
        hostOf.Where(h => h.Value.Equals(silo.SiloAddress)).Select(h => h.Key).ToHashSet();

    /// <summary>
    /// Kills <paramref name="victim"/> and returns once membership lists one silo fewer (the barrier).
    /// The returned clock started at the kill and keeps running: its elapsed time on return is how long
    /// membership took to notice, and tests read it again for later milestones.
    /// </summary>
    public static async Task<Stopwatch> KillAsync(TestCluster cluster, SiloHandle victim)
    {
        var silos = cluster.GetActiveSilos().Count();
        var sinceKill = Stopwatch.StartNew();
        await cluster.KillSiloAsync(victim);
        await WaitForActiveSilosAsync(cluster, silos - 1);
        return sinceKill;
    }

    /// <summary>Barrier: polls membership until it lists exactly `active` live silos (bounded; fails rather than hangs).</summary>
    public static Task WaitForActiveSilosAsync(TestCluster cluster, int active)
    {
        // The management grain itself may have lived on the killed silo: UntilAsync retries unreachable calls.
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        return UntilAsync(async () => (await management.GetHosts(onlyActive: true)).Count == active, $"membership never settled on {active} active silos");
    }

    /// <summary>
    /// Barrier: polls a condition until it holds, counting a call to an unreachable peer or silo as "not yet"
    /// (bounded to 60 s whatever the pause, so a short pause for a precise measurement does not shorten
    /// the bound; fails rather than hangs).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string failure, int pauseMs = 100)
    {
        var bound = Stopwatch.StartNew();
        while (bound.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
            }

            await Task.Delay(pauseMs, TestContext.Current.CancellationToken);
        }

        Assert.Fail(failure);
    }

    /// <summary>
    /// Puts keys "key-0".."key-(count-1)", key i from member (i * 7) mod n so the starting points spread;
    /// <paramref name="put"/> makes the call and asserts on its result. Returns the keys.
    /// </summary>
    public static async Task<List<string>> PutKeysAsync(IReadOnlyList<NodeId> members, int count, Func<NodeId, string, Task> put)
    {
        var keys = Enumerable.Range(0, count).Select(i => $"key-{i}").ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            await put(members[(i * 7) % members.Count], keys[i]);
        }

        return keys;
    }

    /// <summary>The keys that some starting peer does not find with the right value, each listed once.</summary>
    public static async Task<List<string>> LostAsync(IEnumerable<string> keys, IReadOnlyList<NodeId> starts, Func<NodeId, string, Task<bool>> foundRight)
    {
        var lost = new List<string>();
        foreach (var key in keys)
        {
            foreach (var from in starts)
            {
                if (!await foundRight(from, key))
                {
                    lost.Add(key);
                    break;
                }
            }
        }

        return lost;
    }
}
