using Orleans.Runtime;
using Orleans.TestingHost;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.BitTorrent;

[Collection(SwarmKillableCluster.Name)]
public sealed class SwarmSiloFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_mid_run_leaves_the_survivors_completing_from_the_seed()
    {
        var client = fixture.Client;
        var management = client.GetGrain<IManagementGrain>(0);
        var parameters = SwarmHarness.KillTestSwarm;

        // Placement is random: find a swarm whose driver, registry and seed all live off some
        // non-primary silo (that bookkeeping and the seed are not what this test kills).
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var name = $"bt-kill-{attempt}";
            var swarm = client.GetGrain<ISwarmGrain>(name);
            await swarm.CreateAsync(parameters with { Seed = 100 + attempt });
            var seed = (await swarm.GetPeersAsync()).Single(p => p.Behaviour == PeerBehaviour.Seed).Peer;
            var keep = new[]
            {
                await management.GetActivationAddress(swarm),
                await management.GetActivationAddress(client.GetGrain<IOverlayRegistryGrain>(name)),
                await management.GetActivationAddress(SwarmKeys.Member(client, name, seed)),
            }.Select(a => a!).ToList();
            var victim = fixture.Cluster.GetActiveSilos()
                .Where(s => s != fixture.Cluster.Primary && !keep.Any(k => k.Equals(s.SiloAddress)))
                .FirstOrDefault();
            if (victim is null)
            {
                await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
                continue;
            }

            await RunWithKillAsync(client, name, swarm, victim);
            return;
        }

        Assert.Fail("no placement left a silo free of the driver, registry and seed");
    }

    private async Task RunWithKillAsync(IClusterClient client, string name, ISwarmGrain swarm, SiloHandle victim)
    {
        var progress = await swarm.StepAsync(4);
        Assert.False(progress.Done);

        var management = client.GetGrain<IManagementGrain>(0);
        var peers = await swarm.GetPeersAsync();
        var lost = new HashSet<PeerId>();
        foreach (var (peer, _) in peers)
        {
            if (victim.SiloAddress.Equals(await management.GetActivationAddress(SwarmKeys.Member(client, name, peer))))
            {
                lost.Add(peer);
            }
        }

        Assert.NotEmpty(lost);
        await fixture.Cluster.KillSiloAsync(victim);

        // Barrier: the cluster has declared the silo dead (the fixture's fast failure detection);
        // TestCluster's own WaitForLivenessToStabilizeAsync assumes the default, minute-long settings.
        while ((await management.GetHosts(onlyActive: true)).ContainsKey(victim.SiloAddress))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        progress = await SwarmHarness.RunAsync(swarm, 3_000);
        Assert.True(progress.Done, $"not done after {progress.Tick} ticks");
        var survivors = peers.Where(p => p.Behaviour != PeerBehaviour.Seed && !lost.Contains(p.Peer)).Select(p => p.Peer).ToHashSet();
        Assert.NotEmpty(survivors);
        Assert.Subset(progress.Completions.Select(c => c.Peer).ToHashSet(), survivors);

        var original = SwarmContent.Generate(100 + int.Parse(name["bt-kill-".Length..], System.Globalization.CultureInfo.InvariantCulture), 2 * 1024 * 1024);
        foreach (var peer in survivors)
        {
            var bytes = await SwarmHarness.ReadAllAsync(client, name, peer, progress.Pieces);
            Assert.True(original.AsSpan().SequenceEqual(bytes), $"{peer} holds different bytes");
        }

        var status = await swarm.GetStatusAsync();
        Assert.All(status.Where(s => lost.Contains(s.Peer)), s => Assert.Equal("gone", s.State));
    }
}
