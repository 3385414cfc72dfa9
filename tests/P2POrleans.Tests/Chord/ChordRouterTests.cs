using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// Routing on rings whose peers hold ideal state, partial state (only the successor list) or have
/// lost members, simulated with the pure router: every lookup makes progress and ends at the true successor.
/// </summary>
public sealed class ChordRouterTests
{
    public sealed record Ring(int Bits, NodeId[] Ids, NodeId[] Keys, int Seed);

    public static Arbitrary<Ring> Rings() =>
        (from bits in Gen.Elements(6, 8, 16, 32, 160)
         from n in Gen.Choose(1, 300)
         from seed in Gen.Choose(0, int.MaxValue)
         select Make(bits, n, seed)).ToArbitrary();

    private static Ring Make(int bits, int n, int seed)
    {
        var space = new IdSpace(bits);
        var random = new Random(seed);
        var ids = Enumerable.Range(0, n).Select(i => space.Hash($"peer-{seed}-{i}")).Distinct().ToArray();
        var keys = Enumerable.Range(0, 20).Select(i => space.Hash($"key-{random.Next()}")).ToArray();
        return new Ring(bits, ids, keys, seed);
    }

    private sealed record Peer(SuccessorList Successors, FingerTable Fingers);

    private static Dictionary<NodeId, Peer> Build(IdSpace space, IdealRing ring, int r, bool fingers)
    {
        var peers = new Dictionary<NodeId, Peer>();
        foreach (var id in ring.Ids)
        {
            var successors = new SuccessorList(id, r);
            successors.Replace(ring.SuccessorList(id, r));
            var table = new FingerTable(space, id);
            if (fingers)
            {
                table.Replace(ring.Fingers(id));
            }
            else
            {
                table.Set(0, successors.First);
            }

            peers[id] = new Peer(successors, table);
        }

        return peers;
    }

    /// <summary>Iterative find_successor over the simulated peers; returns owner and hop count.</summary>
    private static (NodeId Owner, int Hops) Route(IdSpace space, Dictionary<NodeId, Peer> peers, NodeId from, NodeId key, ISet<NodeId>? dead = null)
    {
        var current = from;
        var hops = 0;
        var exclude = dead is null ? null : new HashSet<NodeId>(dead);
        while (true)
        {
            var p = peers[current];
            var step = ChordRouter.NextStep(space, current, key, p.Successors, p.Fingers, exclude);
            if (step.IsOwner)
            {
                return (step.Node, hops);
            }

            // Progress: the next hop is strictly closer to the key, clockwise, and does not pass it.
            Assert.True(space.InOpenOpen(step.Node, current, key), "next hop must lie in (current, key)");
            Assert.True(space.Distance(step.Node, key) < space.Distance(current, key));
            current = step.Node;
            hops++;
            Assert.True(hops <= peers.Count, "routing did not terminate");
        }
    }

    [Property(Arbitrary = [typeof(ChordRouterTests)], MaxTest = 60)]
    public void Every_lookup_makes_progress_and_ends_at_the_true_successor(Ring r)
    {
        var space = new IdSpace(r.Bits);
        var ring = new IdealRing(space, r.Ids);
        foreach (var fingers in new[] { true, false })
        {
            var peers = Build(space, ring, 4, fingers);
            foreach (var key in r.Keys)
            {
                var from = ring.Ids[(int)(key.Low64 % (ulong)ring.Count)];
                var (owner, _) = Route(space, peers, from, key);
                Assert.Equal(ring.Successor(key), owner);
            }
        }
    }

    [Property(Arbitrary = [typeof(ChordRouterTests)], MaxTest = 40)]
    public void Lookups_skip_dead_peers_and_find_the_first_live_successor(Ring r)
    {
        if (r.Ids.Length < 8)
        {
            return;
        }

        var space = new IdSpace(r.Bits);
        var ring = new IdealRing(space, r.Ids);
        var peers = Build(space, ring, 8, fingers: true);
        var random = new Random(r.Seed);

        // A quarter fail; with r = 8 successors, no run of 8 consecutive failures is likely, but check it.
        var dead = ring.Ids.Where(_ => random.NextDouble() < 0.25).ToHashSet();
        var live = new IdealRing(space, ring.Ids.Where(id => !dead.Contains(id)));
        if (live.Count == 0 || ring.Ids.Any(id => ring.SuccessorList(id, 8).All(dead.Contains)))
        {
            return;
        }

        foreach (var key in r.Keys)
        {
            var from = live.Ids[(int)(key.Low64 % (ulong)live.Count)];
            var (owner, _) = Route(space, peers, from, key, dead);
            Assert.Equal(live.Successor(key), owner);
        }
    }

    [Fact]
    public void Mean_path_length_is_about_half_log2_n()
    {
        // Chord section 6.4: mean path length about 1/2 log2 N. 2^10 peers, 2,000 lookups.
        var space = IdSpace.Sha1;
        var ring = new IdealRing(space, Enumerable.Range(0, 1024).Select(i => space.Hash("host-" + i)));
        var peers = Build(space, ring, 8, fingers: true);
        var random = new Random(42);
        var hops = Enumerable.Range(0, 2000).Select(i =>
            Route(space, peers, ring.Ids[random.Next(ring.Count)], space.Hash("k" + i)).Hops).ToList();
        var mean = hops.Average();
        Assert.InRange(mean, 0.5 * Math.Log2(1024) - 1, 0.5 * Math.Log2(1024) + 1);
        Assert.True(hops.Max() <= Math.Log2(1024) + 2, $"max hops {hops.Max()}");
    }

    [Property(Arbitrary = [typeof(ChordRouterTests)], MaxTest = 60)]
    public bool Every_key_has_exactly_one_owner(Ring r)
    {
        // Ownership by interval: exactly one live peer n has key in (predecessor(n), n].
        var space = new IdSpace(r.Bits);
        var ring = new IdealRing(space, r.Ids);
        return r.Keys.All(key => ring.Ids.Count(n => ring.Count == 1 || space.InOpenClosed(key, ring.Predecessor(n), n)) == 1
            && ring.Ids.Single(n => ring.Count == 1 || space.InOpenClosed(key, ring.Predecessor(n), n)) == ring.Successor(key));
    }
}
