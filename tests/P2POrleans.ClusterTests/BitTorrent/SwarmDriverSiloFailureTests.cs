using Orleans.Runtime;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>
/// The swarm's driver dies with its silo (docs/bittorrent.md, "When the driver's silo dies"): the next
/// call activates it again, rebuilt from the registry's parameters and the live members, and the swarm
/// runs on to completion.
/// </summary>
[Collection(SwarmDriverKillableCluster.Name)]
public sealed class SwarmDriverSiloFailureTests(ClusterFixture fixture)
{
    private const int Ticks = 4;

    [Fact]
    public async Task A_swarm_whose_driver_died_is_restored_from_its_members_and_runs_to_completion()
    {
        var client = fixture.Client;
        var cluster = fixture.Cluster;
        var management = client.GetGrain<IManagementGrain>(0);
        var parameters = SwarmHarness.KillTestSwarm;

        // Placement is random: find a swarm whose driver lives off the primary (never killed) and whose seed
        // lives off the driver's silo (the swarm is to complete from it).
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var name = $"bt-driver-{attempt}";
            var swarm = client.GetGrain<ISwarmGrain>(name);
            await swarm.CreateAsync(parameters with { Seed = 300 + attempt });
            var driverHost = await management.GetActivationAddress(swarm);
            var seed = (await swarm.GetPeersAsync()).Single(p => p.Behaviour == PeerBehaviour.Seed).Peer;
            var seedHost = await management.GetActivationAddress(SwarmKeys.Member(client, name, seed));
            if (driverHost is null || driverHost.Equals(cluster.Primary!.SiloAddress) || driverHost.Equals(seedHost))
            {
                await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
                continue;
            }

            await RunWithDriverKilledAsync(name, swarm, driverHost, 300 + attempt);
            return;
        }

        Assert.Fail("no placement put a swarm's driver off the primary silo and off its seed's silo");
    }

    private async Task RunWithDriverKilledAsync(string name, ISwarmGrain swarm, SiloAddress driverHost, int seed)
    {
        var client = fixture.Client;
        var management = client.GetGrain<IManagementGrain>(0);
        var progress = await swarm.StepAsync(Ticks);
        Assert.False(progress.Done);
        Assert.Equal(Ticks, progress.Tick);
        var peers = await swarm.GetPeersAsync();
        var bitfields = await swarm.GetBitfieldsAsync();
        var lost = new HashSet<PeerId>();
        foreach (var (peer, _) in peers)
        {
            if (driverHost.Equals(await management.GetActivationAddress(SwarmKeys.Member(client, name, peer))))
            {
                lost.Add(peer);
            }
        }

        await SiloKill.KillAsync(fixture.Cluster, fixture.Cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(driverHost)));

        // Barrier: the driver answers again (a call may fail while the cluster forgets the dead activation).
        SwarmProgress? restored = null;
        await SiloKill.UntilAsync(async () => (restored = await swarm.GetProgressAsync()) is not null, "the swarm's driver never answered after its silo died");

        // It resumes at the tick after the last one the members ran, with the same plan, and counts each
        // live member's pieces as the driver before it did.
        Assert.Equal(Ticks, restored!.Tick);
        Assert.Equal(peers, await swarm.GetPeersAsync());
        var restoredBitfields = await swarm.GetBitfieldsAsync();
        var status = await swarm.GetStatusAsync();
        for (var i = 0; i < peers.Count; i++)
        {
            var (peer, _) = peers[i];
            if (lost.Contains(peer))
            {
                Assert.Equal("gone", status[i].State);
            }
            else
            {
                Assert.NotEqual("gone", status[i].State);
                Assert.Equal(bitfields[i], restoredBitfields[i]);
            }
        }

        progress = await SwarmHarness.RunAsync(swarm, 3_000);
        Assert.True(progress.Done, $"not done after {progress.Tick} ticks");
        var survivors = peers.Where(p => p.Behaviour != PeerBehaviour.Seed && !lost.Contains(p.Peer)).Select(p => p.Peer).ToHashSet();
        Assert.NotEmpty(survivors);
        Assert.Equal(survivors, progress.Completions.Select(c => c.Peer).Where(survivors.Contains).ToHashSet());

        var original = SwarmContent.Generate(seed, 2 * 1024 * 1024);
        foreach (var peer in survivors)
        {
            var bytes = await SwarmHarness.ReadAllAsync(client, name, peer, progress.Pieces);
            Assert.True(original.AsSpan().SequenceEqual(bytes), $"{peer} holds different bytes");
        }
    }
}
