using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

/// <summary>Builds Kelips overlays in a test cluster, drives their stepped clock and runs lookups.</summary>
public sealed class KelipsHarness(IClusterClient client, string overlay, KelipsParameters parameters)
{
    public string Overlay { get; } = overlay;

    public KelipsParameters Parameters { get; } = parameters;

    public AffinityGroups Groups { get; } = new(parameters.GroupCount);

    public IOverlayRegistryGrain Registry => client.GetGrain<IOverlayRegistryGrain>(Overlay);

    public IKelipsOverlayGrain Control => client.GetGrain<IKelipsOverlayGrain>(Overlay);

    /// <summary>Files inserted through <see cref="InsertAsync"/>, with their home nodes.</summary>
    public Dictionary<string, NodeId> Homes { get; } = new(StringComparer.Ordinal);

    public IKelipsPeerGrain Peer(NodeId id) => client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(Overlay, id));

    public static async Task<KelipsHarness> CreateAsync(IClusterClient client, string overlay, KelipsParameters parameters)
    {
        var harness = new KelipsHarness(client, overlay, parameters);
        await harness.Registry.CreateAsync(parameters);
        return harness;
    }

    public Task<IReadOnlyList<NodeId>> MembersAsync() => Registry.GetMembersAsync();

    /// <summary>Steps one round at a time until <paramref name="done"/> holds for the check (the barrier); returns the last report.</summary>
    public async Task<(KelipsCheckReport Report, int Rounds)> StepUntilAsync(Func<KelipsCheckReport, bool> done, int maxRounds)
    {
        var report = await Control.CheckAsync();
        for (var r = 0; r < maxRounds; r++)
        {
            if (done(report))
            {
                return (report, r);
            }

            await Registry.StepAsync(1);
            report = await Control.CheckAsync();
        }

        return (report, maxRounds);
    }

    public static bool ViewsAndContactsComplete(KelipsCheckReport r) =>
        r.CompleteViews == r.Peers && r.StaleViewEntries == 0 && r.ContactCoverage >= 1.0;

    public static bool Converged(KelipsCheckReport r) => ViewsAndContactsComplete(r) && r.FileTupleCoverage >= 1.0;

    /// <summary>Inserts `count` files, each at a home node picked with the seed.</summary>
    public async Task InsertAsync(int count, int seed, string prefix = "file")
    {
        var members = await MembersAsync();
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var name = $"{prefix}-{seed}-{i:D3}.dat";
            var home = members[random.Next(members.Count)];
            await Peer(home).InsertAsync(name, "content of " + name);
            Homes[name] = home;
        }
    }
}
