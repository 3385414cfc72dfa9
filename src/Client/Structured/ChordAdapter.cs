using P2POrleans.Chord;
using P2POrleans.Client.Bench;
using P2POrleans.Common;

namespace P2POrleans.Client.Structured;

/// <summary>
/// Chord: joins of simulated hosts (each with the overlay's virtual nodes) through the join protocol,
/// the ideal ring installed for converged builds, keys replicated on successors. The bench uses the
/// defaults (m = 160, r = 8), built converged, and looks up hashed key names, in the lookup mode of
/// the instance: iterative (<see cref="Instance"/>) or recursive (<see cref="Recursive"/>; Chord section 4.3
/// allows both, docs/chord.md).
/// </summary>
public sealed class ChordAdapter : KeyValueAdapter<IChordPeerGrain, IChordOverlayGrain>
{
    /// <summary>Joins per overlay call of a joined bench build.</summary>
    public const int JoinBatch = 1_000;

    /// <summary>Peers ticked at once in the stabilization rounds of a joined bench build.</summary>
    public const int JoinedParallelTicks = 64;

    /// <summary>Stabilization rounds a joined bench build runs at most.</summary>
    public const int JoinedMaxRounds = 200;

    private ChordAdapter(ChordMode mode) => Mode = mode;

    public static ChordAdapter Instance { get; } = new(ChordMode.Iterative);

    /// <summary>The same, but the bench's overlays look keys up recursively (each peer forwards the query).</summary>
    public static ChordAdapter Recursive { get; } = new(ChordMode.Recursive);

    /// <summary>The lookup mode of the overlays <see cref="BuildForBenchAsync"/> creates.</summary>
    public ChordMode Mode { get; }

    public override string Protocol => ChordParameters.Name;

    protected override OverlayParameters BenchParameters(long seed) => new ChordParameters { Seed = seed, Mode = Mode };

    /// <summary>
    /// `p2p bench --chord-build joined`: the overlay created, <paramref name="peers"/> peers joined one
    /// after another through the join protocol (in batches of <see cref="JoinBatch"/>, one overlay call
    /// each), then stabilization rounds with <see cref="JoinedParallelTicks"/> peers ticked at once, the
    /// ring checked against the ideal one after each, until every pointer is right or
    /// <see cref="JoinedMaxRounds"/> rounds passed.
    /// </summary>
    public async Task<(IReadOnlyList<NodeId> Members, BenchJoin Join)> BuildJoinedForBenchAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        await client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(new ChordParameters { Seed = seed, Mode = Mode, ParallelTicks = JoinedParallelTicks });
        var joins = System.Diagnostics.Stopwatch.StartNew();
        for (var done = 0; done < peers; done += JoinBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await JoinAsync(client, overlay, Math.Min(JoinBatch, peers - done));
        }

        var joinSeconds = joins.Elapsed.TotalSeconds;
        var check = await Overlay(client, overlay).CheckAsync();
        var afterJoins = check;
        var rounds = 0;
        var stabilization = TimeSpan.Zero;
        while (!AllCorrect(check) && rounds < JoinedMaxRounds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var round = System.Diagnostics.Stopwatch.StartNew();
            await client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(1);
            stabilization += round.Elapsed;
            rounds++;
            check = await Overlay(client, overlay).CheckAsync();
        }

        var members = await client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync();
        return (members, new BenchJoin(joinSeconds, peers / joinSeconds, rounds, stabilization.TotalSeconds, JoinedParallelTicks, JoinedMaxRounds, AllCorrect(check),
            check.SuccessorsCorrect, check.SuccessorListsCorrect, check.PredecessorsCorrect, check.FingersCorrect, afterJoins.SuccessorsCorrect, afterJoins.FingersCorrect));
    }

    /// <summary>Every successor, successor list, predecessor and finger as in the ideal ring of the members.</summary>
    public static bool AllCorrect(ChordCheckReport check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.SuccessorsCorrect >= 1 && check.SuccessorListsCorrect >= 1 && check.PredecessorsCorrect >= 1 && check.FingersCorrect >= 1;
    }

    /// <summary>
    /// From measurement (docs/bench.md, quiet-window measurements): 10^6 converged peers peaked at 4,462 bytes of
    /// resident memory per peer for the whole process, teardown included (managed heap 3,362 B); routing state
    /// (log2 N finger runs, r successors) barely grows with N.
    /// </summary>
    public override double EstimatedBytesPerPeer(int peers) => 4_500;

    protected override NodeId BenchKey(int i) => IdSpace.Sha1.Hash($"bench-key-{i}");
}
