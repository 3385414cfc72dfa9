using System.Diagnostics;
using System.Globalization;
using P2POrleans.Client.Bench;
using P2POrleans.Client.Soak;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client.Structured;

/// <summary>
/// Kelips: joins of simulated peers, each through a live peer; converged builds install every view and
/// contacts at once (docs/kelips.md). A key is a file stored at its home node (the peer that inserted
/// it) with filetuples in its affinity group; a read is the one-hop lookup plus the fetch from the home
/// node. The paper keeps one copy, so a file whose home crashed is lost by design.
/// </summary>
public sealed class KelipsAdapter : IStructuredAdapter
{
    private const int BenchFiles = 300;
    private const int BenchMaxRounds = 60;

    /// <summary>Peers joined per overlay call in a joined build (a cancelled bench stops between batches).</summary>
    public const int JoinBatch = 1_000;

    /// <summary>The bound on the gossip rounds of a joined build: well past the 80-round contact timeout that once expired live contacts at k = 100.</summary>
    public const int JoinedMaxRounds = 300;

    // A check walks every peer's state, as costly as a round at N = 10,000; check every few rounds.
    private const int BenchRoundsPerCheck = 5;

    // Peers ticked at once in a bench round (KelipsParameters.ParallelTicks): enough to keep both cores busy.
    private const int BenchParallelTicks = 64;

    public static KelipsAdapter Instance { get; } = new();

    public string Protocol => KelipsParameters.Name;

    public Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count) => Overlay(client, overlay).JoinHostsAsync(count);

    public Task<NodeId> JoinIdAsync(IClusterClient client, string overlay, NodeId id) => Overlay(client, overlay).JoinIdAsync(id);

    public Task<IReadOnlyList<NodeId>> BuildConvergedAsync(IClusterClient client, string overlay, int count) => Overlay(client, overlay).BuildConvergedAsync(count);

    public Task FailAsync(IClusterClient client, string overlay, NodeId peer) => Peer(client, overlay, peer).FailAsync();

    public Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value) => Peer(client, overlay, from).InsertAsync(key, value);

    public async Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key)
    {
        var r = await Peer(client, overlay, from).LookupAsync(key);
        return new SoakRead(r.Fetched ? r.Content : null, r.Lookup.LatencyMs + r.FetchRttMs, r.PathLength);
    }

    /// <summary>
    /// Built converged, then files inserted at random members and spread by gossip: gossip is
    /// constant-size, so with many files per group a filetuple can take tens of rounds to reach every
    /// group member (docs/kelips.md); step until every member holds its group's.
    /// </summary>
    public async Task<IReadOnlyList<NodeId>> BuildForBenchAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        // The bench times lookups, not the order of messages within a round: rounds tick peers in batches.
        await client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(BenchParameters(peers, seed));
        var members = await BuildConvergedAsync(client, overlay, peers);
        await InsertBenchFilesAsync(client, overlay, members, seed);
        var (report, rounds, done) = await KelipsStepping.StepUntilAsync(client, overlay, r => r.FileTupleCoverage >= 1.0, BenchMaxRounds, BenchRoundsPerCheck, cancellationToken);
        return done ? members : throw Unconverged(peers, rounds, report);
    }

    /// <summary>
    /// Built the paper's way (`p2p bench --kelips-build joined`): every peer joins through a live peer
    /// (in batches of <see cref="JoinBatch"/>, one overlay call each), the files are inserted, then gossip
    /// rounds until every view, contact set and filetuple is complete (<see cref="BenchGossip"/>). This is
    /// the build whose lookups regressed at 10,000 peers while the contact timeout was a fixed 80 rounds
    /// (docs/bench.md).
    /// </summary>
    public async Task<(IReadOnlyList<NodeId> Members, BenchGossip Gossip)> BuildJoinedForBenchAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        var parameters = BenchParameters(peers, seed);
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        await registry.CreateAsync(parameters);
        var joins = Stopwatch.StartNew();
        for (var done = 0; done < peers; done += JoinBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await JoinAsync(client, overlay, Math.Min(JoinBatch, peers - done));
        }

        var joinSeconds = joins.Elapsed.TotalSeconds;
        var members = await registry.GetMembersAsync();
        await InsertBenchFilesAsync(client, overlay, members, seed);
        var gossip = Stopwatch.StartNew();
        var (report, rounds, converged) = await KelipsStepping.StepUntilAsync(client, overlay, r => r.Converged && r.ContactCoverage >= 1.0, JoinedMaxRounds, BenchRoundsPerCheck, cancellationToken);
        if (!converged)
        {
            throw Unconverged(peers, rounds, report);
        }

        return (members, new BenchGossip(joinSeconds, members.Count / joinSeconds, rounds, gossip.Elapsed.TotalSeconds, BenchParallelTicks, JoinedMaxRounds,
            parameters.ToOptions().ContactTimeoutRounds, report.ContactCoverage, report.FileTupleCoverage));
    }

    /// <summary>The one-hop lookup plus the fetch: the peers asked, plus the fetch from the home node when it is not the initiator itself.</summary>
    public async Task<BenchLookup> BenchLookupAsync(IClusterClient client, string overlay, NodeId from, int i)
    {
        var r = await Peer(client, overlay, from).LookupAsync(BenchFile(i % BenchFiles));
        var fetch = r.Fetched && r.Lookup.Owner != r.Lookup.Path[0].Node ? 1 : 0;
        return new BenchLookup(r.PathLength, r.Lookup.Messages + fetch, r.Fetched);
    }

    /// <summary>52 kB per peer of managed heap at 10^4 (docs/bench.md): the group view and contacts grow with sqrt N.</summary>
    public double EstimatedBytesPerPeer(int peers) => 4_000 + (600 * Math.Sqrt(peers));

    public static IKelipsPeerGrain Peer(IClusterClient client, string overlay, NodeId id) => GrainReferences.Peer<IKelipsPeerGrain>(client, overlay, id);

    private static IKelipsOverlayGrain Overlay(IClusterClient client, string overlay) => client.GetGrain<IKelipsOverlayGrain>(overlay);

    private static string BenchFile(int i) => $"bench-{i}.bin";

    private static KelipsParameters BenchParameters(int peers, long seed) =>
        new() { ExpectedPeers = peers, ExpectedFiles = BenchFiles, Seed = seed, ParallelTicks = BenchParallelTicks };

    private static async Task InsertBenchFilesAsync(IClusterClient client, string overlay, IReadOnlyList<NodeId> members, long seed)
    {
        var random = new Random((int)seed);
        for (var i = 0; i < BenchFiles; i++)
        {
            await Peer(client, overlay, members[random.Next(members.Count)]).InsertAsync(BenchFile(i), "x");
        }
    }

    // Lookups of an unconverged overlay would be timed and counted as if it had converged.
    private static CliException Unconverged(int peers, int rounds, KelipsCheckReport report) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"the {peers}-peer Kelips overlay did not converge within {rounds} gossip rounds: {report.FileTupleCoverage:P2} of the filetuples reached their whole group, {report.ContactCoverage:P2} contact coverage, {report.DeadContacts} dead contacts; the bench measures converged overlays only"));
}
