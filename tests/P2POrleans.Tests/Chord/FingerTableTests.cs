using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

public sealed class FingerTableTests
{
    [Fact]
    public void Finger_starts_follow_the_paper_example()
    {
        // Chord figure 3(a): m = 3, node 1 has finger starts 2, 3, 5.
        var space = new IdSpace(3);
        var table = new FingerTable(space, NodeId.FromUInt64(1));
        Assert.Equal([2UL, 3UL, 5UL], Enumerable.Range(0, 3).Select(i => table.Start(i).Low64));
    }

    [Fact]
    public void Ideal_fingers_match_the_paper_example()
    {
        // Chord figure 3(b): nodes 0, 1, 3 on m = 3; node 1's fingers are 3, 3, 0; node 3's are 0, 0, 0.
        var space = new IdSpace(3);
        var ring = new IdealRing(space, new ulong[] { 0, 1, 3 }.Select(NodeId.FromUInt64));
        var one = new FingerTable(space, NodeId.FromUInt64(1));
        one.Replace(ring.Fingers(NodeId.FromUInt64(1)));
        Assert.Equal([3UL, 3UL, 0UL], Enumerable.Range(0, 3).Select(i => one[i].Low64));
        var three = new FingerTable(space, NodeId.FromUInt64(3));
        three.Replace(ring.Fingers(NodeId.FromUInt64(3)));
        Assert.Equal([0UL, 0UL, 0UL], Enumerable.Range(0, 3).Select(i => three[i].Low64));
        Assert.Single(three.Runs);
    }

    public static Arbitrary<(int[] Indices, int[] Nodes)> Writes() =>
        (from n in Gen.Choose(1, 60)
         from indices in Gen.ArrayOf(Gen.Choose(0, 31), n)
         from nodes in Gen.ArrayOf(Gen.Choose(0, 5), n)
         select (indices, nodes)).ToArbitrary();

    [Property(Arbitrary = [typeof(FingerTableTests)], MaxTest = 300)]
    public bool Run_compression_behaves_like_a_plain_array((int[] Indices, int[] Nodes) writes)
    {
        var space = new IdSpace(32);
        var self = NodeId.FromUInt64(1000);
        var table = new FingerTable(space, self);
        var reference = Enumerable.Repeat(self, 32).ToArray();
        var count = Math.Min(writes.Indices.Length, writes.Nodes.Length);
        for (var k = 0; k < count; k++)
        {
            var node = NodeId.FromUInt64((ulong)writes.Nodes[k] * 7);
            table.Set(writes.Indices[k], node);
            reference[writes.Indices[k]] = node;
        }

        var runsAreMaximal = table.Runs.Zip(table.Runs.Skip(1)).All(p => p.First.Node != p.Second.Node && p.First.From < p.Second.From);
        return runsAreMaximal && table.Runs[0].From == 0 && Enumerable.Range(0, 32).All(i => table[i] == reference[i]);
    }

    [Fact]
    public void Closest_preceding_finger_is_the_farthest_entry_before_the_key()
    {
        var space = new IdSpace(8);
        var self = NodeId.FromUInt64(10);
        var table = new FingerTable(space, self);
        table.Set(0, NodeId.FromUInt64(12));
        table.Set(4, NodeId.FromUInt64(30));
        table.Set(6, NodeId.FromUInt64(80));
        table.Set(7, NodeId.FromUInt64(140));
        Assert.Equal(80UL, table.ClosestPreceding(NodeId.FromUInt64(100))!.Value.Low64);
        Assert.Equal(30UL, table.ClosestPreceding(NodeId.FromUInt64(80))!.Value.Low64);
        Assert.Equal(30UL, table.ClosestPreceding(NodeId.FromUInt64(100), new HashSet<NodeId> { NodeId.FromUInt64(80) })!.Value.Low64);
        Assert.Null(table.ClosestPreceding(NodeId.FromUInt64(11)));

        // Wrap-around: key 5 lies after 140 going clockwise from 10.
        Assert.Equal(140UL, table.ClosestPreceding(NodeId.FromUInt64(5))!.Value.Low64);
    }

    [Fact]
    public void Removing_a_dead_finger_never_leaves_it_in_the_table()
    {
        var space = new IdSpace(8);
        var self = NodeId.FromUInt64(10);
        var table = new FingerTable(space, self);
        table.SetRange(0, 3, NodeId.FromUInt64(12));
        table.SetRange(4, 6, NodeId.FromUInt64(30));
        table.Set(7, NodeId.FromUInt64(140));
        table.Remove(NodeId.FromUInt64(12));
        table.Remove(NodeId.FromUInt64(140));
        Assert.DoesNotContain(NodeId.FromUInt64(12), table.Nodes);
        Assert.DoesNotContain(NodeId.FromUInt64(140), table.Nodes);
        Assert.Equal(30UL, table[7].Low64);
    }

    [Fact]
    public void A_160_bit_table_of_a_large_ring_stays_small()
    {
        var space = IdSpace.Sha1;
        var ring = new IdealRing(space, Enumerable.Range(0, 10_000).Select(i => space.Hash("h" + i)));
        var runs = ring.Fingers(ring.Ids[0]).Count;

        // About log2(10^4) = 13.3 distinct fingers instead of 160 entries.
        Assert.InRange(runs, 8, 24);
    }
}
