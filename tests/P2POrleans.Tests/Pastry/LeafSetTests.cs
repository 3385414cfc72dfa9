using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Tests.Pastry;

public sealed class LeafSetTests
{
    private static readonly IdSpace Space = new(128);

    private static (NodeId Owner, List<NodeId> Candidates, Random Random) Setup(TableCase c)
    {
        var random = new Random(c.Seed);
        var ids = PastryTestNetwork.NewIds(random, c.Candidates + 1, c.Clustered);
        return (ids[0], ids.Skip(1).ToList(), random);
    }

    [Property(Arbitrary = [typeof(PastryTableGen)], MaxTest = 200)]
    public void Holds_exactly_the_half_size_closest_on_each_side_in_any_order(TableCase c)
    {
        var (owner, candidates, random) = Setup(c);
        var leafSet = new LeafSet(owner, Space, c.Size);
        foreach (var id in candidates.OrderBy(_ => random.Next()))
        {
            leafSet.Consider(id);
            leafSet.Consider(id); // idempotent
        }

        leafSet.Consider(owner); // never holds itself
        var (smaller, larger) = PastryTestNetwork.BruteForceLeafSet(owner, candidates, c.Size);
        Assert.Equal(smaller, leafSet.Smaller);
        Assert.Equal(larger, leafSet.Larger);
        Assert.Equal(smaller.Union(larger).Count(), leafSet.Count);
        Assert.Equal(candidates.Count > 0 && smaller.Intersect(larger).Any(), leafSet.CoversWholeRing);

        // Removing leaves and offering the remaining candidates again gives the leaf set of the rest.
        var removed = candidates.Where(_ => random.Next(3) == 0).ToHashSet();
        foreach (var id in removed)
        {
            leafSet.Remove(id);
        }

        foreach (var id in candidates.Where(id => !removed.Contains(id)))
        {
            leafSet.Consider(id);
        }

        var (smaller2, larger2) = PastryTestNetwork.BruteForceLeafSet(owner, candidates.Where(id => !removed.Contains(id)), c.Size);
        Assert.Equal(smaller2, leafSet.Smaller);
        Assert.Equal(larger2, leafSet.Larger);
    }

    [Property(Arbitrary = [typeof(PastryTableGen)], MaxTest = 200)]
    public void Within_range_the_closest_leaf_is_the_closest_node_overall(TableCase c)
    {
        var (owner, candidates, random) = Setup(c);
        var leafSet = new LeafSet(owner, Space, c.Size);
        foreach (var id in candidates)
        {
            leafSet.Consider(id);
        }

        var everyone = candidates.Append(owner).ToList();
        var net = new List<NodeId>(everyone);
        for (var i = 0; i < 40; i++)
        {
            var key = i switch
            {
                0 => owner,
                _ when i % 4 == 0 => PastryTestNetwork.RandomId(random),
                _ => Space.Add(everyone[random.Next(everyone.Count)], NodeId.FromUInt64((ulong)random.Next(-3, 4))),
            };

            if (leafSet.IsInRange(key))
            {
                Assert.Equal(PastryTestNetwork.BruteForceClosest(everyone, key), leafSet.Closest(key));
            }
        }

        // Every leaf and the owner are within range; with a complete set nothing beyond the
        // farthest leaves is (unless the two sides overlap and cover the circle).
        Assert.All(leafSet.All, id => Assert.True(leafSet.IsInRange(id)));
        Assert.True(leafSet.IsInRange(owner));
        if (leafSet.Smaller.Count > 0 && !leafSet.CoversWholeRing)
        {
            var beyond = Space.Subtract(leafSet.Smaller[^1], NodeId.FromUInt64(1));
            Assert.Equal(leafSet.Larger.Count > 0 && beyond == leafSet.Larger[^1], leafSet.IsInRange(beyond));
        }
    }

    [Fact]
    public void Wraps_around_zero_and_reports_range_sides_and_repair_contacts()
    {
        var space = new IdSpace(8);
        var leafSet = new LeafSet(NodeId.FromUInt64(2), space, 4);
        foreach (var v in new ulong[] { 250, 253, 255, 4, 9, 100 })
        {
            leafSet.Consider(NodeId.FromUInt64(v));
        }

        Assert.Equal([NodeId.FromUInt64(255), NodeId.FromUInt64(253)], leafSet.Smaller);
        Assert.Equal([NodeId.FromUInt64(4), NodeId.FromUInt64(9)], leafSet.Larger);
        Assert.True(leafSet.IsInRange(NodeId.FromUInt64(254)));
        Assert.True(leafSet.IsInRange(NodeId.FromUInt64(0)));
        Assert.True(leafSet.IsInRange(NodeId.FromUInt64(9)));
        Assert.False(leafSet.IsInRange(NodeId.FromUInt64(10)));
        Assert.False(leafSet.IsInRange(NodeId.FromUInt64(252)));
        Assert.Equal(NodeId.FromUInt64(255), leafSet.Closest(NodeId.FromUInt64(0)));
        Assert.Equal(NodeId.FromUInt64(4), leafSet.Closest(NodeId.FromUInt64(3))); // 2 and 4 tie: 4 is clockwise of 3
        Assert.Equal(NodeId.FromUInt64(253), leafSet.FarthestOnSide(LeafSides.Smaller));
        Assert.Equal(NodeId.FromUInt64(9), leafSet.FarthestOnSide(LeafSides.Larger));

        // A dead leaf no longer counts for the range.
        var dead = new HashSet<NodeId> { NodeId.FromUInt64(9) };
        Assert.False(leafSet.IsInRange(NodeId.FromUInt64(6), dead));
        Assert.Equal(NodeId.FromUInt64(4), leafSet.FarthestOnSide(LeafSides.Larger, dead));

        Assert.Equal(LeafSides.Larger, leafSet.Remove(NodeId.FromUInt64(9)));
        Assert.False(leafSet.IsFull(LeafSides.Larger));
        Assert.Equal(NodeId.FromUInt64(4), PastryRepair.LeafSetRepairContact(leafSet, LeafSides.Larger));
        Assert.Equal(LeafSides.Larger, leafSet.Consider(NodeId.FromUInt64(100)));
    }

    [Fact]
    public void Ties_go_to_the_node_clockwise_of_the_key()
    {
        var space = new IdSpace(8);
        var leafSet = new LeafSet(NodeId.FromUInt64(10), space, 2);
        leafSet.Consider(NodeId.FromUInt64(14));
        leafSet.Consider(NodeId.FromUInt64(6));
        Assert.Equal(NodeId.FromUInt64(10), leafSet.Closest(NodeId.FromUInt64(8))); // 6 and 10 tie: 10 is clockwise of 8
        Assert.Equal(NodeId.FromUInt64(14), leafSet.Closest(NodeId.FromUInt64(12))); // 10 and 14 tie: 14 wins
    }

    [Fact]
    public void A_side_with_no_node_in_its_half_covers_that_half()
    {
        var space = new IdSpace(8);
        var leafSet = new LeafSet(NodeId.FromUInt64(10), space, 16);
        leafSet.Consider(NodeId.FromUInt64(100)); // clockwise 90
        leafSet.Consider(NodeId.FromUInt64(50)); // clockwise 40
        Assert.Empty(leafSet.Smaller);
        Assert.Equal([NodeId.FromUInt64(50), NodeId.FromUInt64(100)], leafSet.Larger);
        Assert.True(leafSet.IsInRange(NodeId.FromUInt64(200))); // counter-clockwise 66: no node there
        Assert.Equal(NodeId.FromUInt64(10), leafSet.Closest(NodeId.FromUInt64(200)));
        Assert.False(leafSet.IsInRange(NodeId.FromUInt64(120)));

        // A node exactly opposite is on both sides; the sides then meet.
        leafSet.Consider(NodeId.FromUInt64(138));
        Assert.Equal(LeafSides.Both, leafSet.SideOf(NodeId.FromUInt64(138)));
        Assert.True(leafSet.CoversWholeRing);
        Assert.True(leafSet.IsInRange(NodeId.FromUInt64(120)));

        // A far node never fills a vacancy on the near side.
        var other = new LeafSet(NodeId.FromUInt64(10), space, 4);
        Assert.Equal(LeafSides.Smaller, other.Consider(NodeId.FromUInt64(250)));
    }
}
