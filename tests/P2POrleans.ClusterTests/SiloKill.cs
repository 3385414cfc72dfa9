using Orleans.Runtime;
using Orleans.TestingHost;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests;

/// <summary>What the silo-kill tests of issue 9 share: where peers live, and the membership barrier.</summary>
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

    /// <summary>Barrier: polls membership until it lists exactly `active` live silos (bounded; fails rather than hangs).</summary>
    public static async Task WaitForActiveSilosAsync(TestCluster cluster, int active)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        for (var poll = 0; poll < 600; poll++)
        {
            try
            {
                if ((await management.GetHosts(onlyActive: true)).Count == active)
                {
                    return;
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // The management grain itself may have lived on the killed silo.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"membership never settled on {active} active silos");
    }
}
