using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client.Bench;

/// <summary>
/// Kelips (sqrt N affinity groups, 2 contacts per foreign group), built converged (every view and
/// contacts installed, docs/kelips.md), then files inserted and spread by gossip rounds; a lookup is
/// the one-hop lookup plus the fetch.
/// </summary>
public sealed class KelipsBenchOverlay : IBenchOverlay
{
    private const int Files = 300;
    private const int MaxRounds = 60;

    // A check walks every peer's state, as costly as a round at N = 10,000; check every few rounds.
    private const int RoundsPerCheck = 5;

    // Peers ticked at once in a round (KelipsParameters.ParallelTicks): enough to keep both cores busy.
    private const int ParallelTicks = 64;

    public string Protocol => KelipsParameters.Name;

    public async Task<IReadOnlyList<NodeId>> BuildAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        // The bench times lookups, not the order of messages within a round: rounds tick peers in batches.
        await registry.CreateAsync(new KelipsParameters { ExpectedPeers = peers, ExpectedFiles = Files, Seed = seed, ParallelTicks = ParallelTicks });
        var control = client.GetGrain<IKelipsOverlayGrain>(overlay);
        var members = await control.BuildConvergedAsync(peers);
        var random = new Random((int)seed);
        for (var i = 0; i < Files; i++)
        {
            await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, members[random.Next(members.Count)])).InsertAsync(FileName(i), "x");
        }

        // Gossip is constant-size, so with many files per group a filetuple can take tens of rounds
        // to reach every group member (docs/kelips.md): step until every member holds its group's.
        await KelipsStepping.StepUntilAsync(client, overlay, r => r.FileTupleCoverage >= 1.0, MaxRounds, RoundsPerCheck, cancellationToken);
        return members;
    }

    public async Task<BenchLookup> LookupAsync(IClusterClient client, string overlay, NodeId from, int i)
    {
        var r = await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, from)).LookupAsync(FileName(i % Files));

        // The peers asked, plus the fetch from the home node when it is not the initiator itself.
        var fetch = r.Fetched && r.Lookup.Owner != r.Lookup.Path[0].Node ? 1 : 0;
        return new BenchLookup(r.PathLength, r.Lookup.Messages + fetch, r.Fetched);
    }

    private static string FileName(int i) => $"bench-{i}.bin";
}
