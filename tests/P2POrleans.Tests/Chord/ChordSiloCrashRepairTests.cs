using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// One silo's peers all die at once (a silo process killed: a third of a 3-silo ring in one instant,
/// docs/cluster.md, rolling restarts): the ring repairs to the ideal ring of the live peers (docs/chord.md, maintenance).
/// </summary>
public sealed class ChordSiloCrashRepairTests
{
    public static Arbitrary<(int Peers, int Successors, int Seed)> Rings() =>
        (from peers in Gen.Choose(12, 60)
         from successors in Gen.Choose(2, 6)
         from seed in Gen.Choose(0, int.MaxValue)
         select (peers, successors, seed)).ToArbitrary();

    [Property(Arbitrary = [typeof(ChordSiloCrashRepairTests)], MaxTest = 40)]
    public void After_one_silos_peers_all_die_at_once_the_ring_repairs_to_the_ideal_ring((int Peers, int Successors, int Seed) ring) =>
        RunAsync(ring.Peers, ring.Successors, ring.Seed).GetAwaiter().GetResult();

    private static async Task RunAsync(int peers, int successors, int seed)
    {
        var parameters = new ChordParameters { Bits = 16, Successors = successors, Replicas = 1 };
        var random = new Random(seed);
        var ids = new HashSet<NodeId>();
        while (ids.Count < peers)
        {
            ids.Add(NodeId.FromUInt64((ulong)random.Next(1 << parameters.Bits)));
        }

        var silos = ids.ToDictionary(id => id, _ => "ABC"[random.Next(3)].ToString());
        var ring = await ChordTestRing.BuildAsync(parameters, [.. ids], rounds: (2 * parameters.Bits) + 8, siloOf: id => silos[id]);
        Assert.Empty(ring.Differences());

        ring.CrashSilo("A");
        var rounds = 0;
        while (ring.Live.Any() && ring.Differences().Count > 0 && rounds < 400)
        {
            await ring.RoundAsync();
            rounds++;
        }

        File.AppendAllText("/tmp/spof/rounds.txt", $"{peers} {successors} {seed}: {rounds} rounds, {ring.Differences().Count} differences\n");
        Assert.Empty(ring.Differences());
    }
}
