using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

/// <summary>Builds Pastry overlays in a test cluster and drives their stepped clock.</summary>
public sealed class PastryHarness(IClusterClient client, string overlay, PastryParameters parameters)
{
    public string Overlay { get; } = overlay;

    public PastryParameters Parameters { get; } = parameters;

    public IOverlayRegistryGrain Registry => client.GetGrain<IOverlayRegistryGrain>(Overlay);

    public IPastryOverlayGrain Control => client.GetGrain<IPastryOverlayGrain>(Overlay);

    public IPastryPeerGrain Peer(NodeId id) => client.GetGrain<IPastryPeerGrain>(PeerKeys.For(Overlay, id));

    public static async Task<PastryHarness> CreateAsync(IClusterClient client, string overlay, PastryParameters parameters)
    {
        var harness = new PastryHarness(client, overlay, parameters);
        await harness.Registry.CreateAsync(parameters);
        return harness;
    }

    public Task<IReadOnlyList<NodeId>> MembersAsync() => Registry.GetMembersAsync();

    /// <summary>Steps one round at a time until check reports a correct state and keys in place (the barrier).</summary>
    public async Task<PastryCheckReport> RepairAsync(int maxRounds)
    {
        var report = await Control.CheckAsync();
        for (var r = 0; r < maxRounds && !(report.StateCorrect && report.KeysInPlace); r++)
        {
            await Registry.StepAsync(1);
            report = await Control.CheckAsync();
        }

        return report;
    }

    /// <summary>Looks up keys from several live peers; returns how many owners differ from the numerically closest live peer.</summary>
    public async Task<int> WrongOwnersAsync(int lookups, string prefix)
    {
        var members = await MembersAsync();
        var live = new PastryIdIndex(members, Parameters);
        var wrong = 0;
        for (var i = 0; i < lookups; i++)
        {
            var key = Parameters.Space.Hash(prefix + i);
            var result = await Peer(members[(i * 7) % members.Count]).LookupAsync(key, null);
            wrong += result.Success && result.Owner == live.NumericallyClosest(key) ? 0 : 1;
        }

        return wrong;
    }
}
