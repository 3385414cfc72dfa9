using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

/// <summary>Builds Chord overlays in a test cluster and drives their stepped clock.</summary>
public sealed class ChordHarness(IClusterClient client, string overlay)
{
    public string Overlay { get; } = overlay;

    public IOverlayRegistryGrain Registry => client.GetGrain<IOverlayRegistryGrain>(Overlay);

    public IChordOverlayGrain Control => client.GetGrain<IChordOverlayGrain>(Overlay);

    public IChordPeerGrain Peer(NodeId id) => client.GetGrain<IChordPeerGrain>(PeerKeys.For(Overlay, id));

    public static async Task<ChordHarness> CreateAsync(IClusterClient client, string overlay, ChordParameters parameters)
    {
        var harness = new ChordHarness(client, overlay);
        await harness.Registry.CreateAsync(parameters);
        return harness;
    }

    public Task<IReadOnlyList<NodeId>> MembersAsync() => Registry.GetMembersAsync();

    /// <summary>Steps one round at a time until check reports a correct ring (the barrier); returns the report.</summary>
    public async Task<ChordCheckReport> StabilizeAsync(int maxRounds, bool fingersToo = true)
    {
        ChordCheckReport report = await Control.CheckAsync();
        for (var r = 0; r < maxRounds; r++)
        {
            if (Converged(report, fingersToo))
            {
                return report;
            }

            await Registry.StepAsync(1);
            report = await Control.CheckAsync();
        }

        return report;
    }

    public static bool Converged(ChordCheckReport report, bool fingersToo) =>
        report.RingCorrect && report.SuccessorListsCorrect >= 1.0 && (!fingersToo || report.FingersCorrect >= 1.0)
        && report.ReplicaCopiesPresent == report.ReplicaCopiesExpected;
}
