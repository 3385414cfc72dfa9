using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// One silo's peers all die at once (a silo process killed: a third of a 3-silo ring in one instant,
/// docs/cluster.md, rolling restarts), then as many newcomers join: the ring repairs to the ideal ring of
/// the live peers (docs/chord.md, maintenance), even when a peer's whole successor list was on that
/// silo (with lists of 2-6 and a third of the peers gone, many are): ToN section 5.2 bounds the risk
/// for independent failures only, and stabilize still closes the ring through a live finger.
/// </summary>
public sealed class ChordSiloCrashRepairTests
{
    public static Arbitrary<(int Peers, int Successors, int Seed)> Rings() =>
        (from peers in Gen.Choose(12, 150)
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

        var before = ring.Live.Count();
        ring.CrashSilo("A");
        await RepairAsync(ring);

        // As many newcomers join, one after the other through random live peers, with no round between (the soak's `chord join --count`).
        var dead = before - ring.Live.Count();
        for (var i = 0; i < dead; i++)
        {
            NodeId id;
            do
            {
                id = NodeId.FromUInt64((ulong)random.Next(1 << parameters.Bits));
            }
            while (!ids.Add(id));
            silos[id] = "ABC"[random.Next(3)].ToString();
            var live = ring.Live.ToList();
            await ring.JoinAsync(id, live[random.Next(live.Count)]);
        }

        await RepairAsync(ring);
    }

    /// <summary>
    /// Rounds until every pointer (predecessor, successor list, fingers) is the ideal ring's. Bounded by
    /// 400 rounds; the runs of this property took at most 51 (145 peers, lists of 3: a peer whose whole
    /// list died closes the ring through a live finger, then stabilize walks back to its true successor).
    /// </summary>
    private static async Task RepairAsync(ChordTestRing ring)
    {
        for (var rounds = 0; rounds < 400 && ring.Differences().Count > 0; rounds++)
        {
            await ring.RoundAsync();
        }

        Assert.Empty(ring.Differences());
    }
}
