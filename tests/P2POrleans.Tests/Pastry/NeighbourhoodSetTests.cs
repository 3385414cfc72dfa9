using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Tests.Pastry;

public sealed class NeighbourhoodSetTests
{
    [Property(Arbitrary = [typeof(PastryTableGen)], MaxTest = 150)]
    public void Holds_the_size_closest_by_rtt_in_any_order(TableCase c)
    {
        var random = new Random(c.Seed);
        var ids = PastryTestNetwork.NewIds(random, c.Candidates + 1, c.Clustered);
        var owner = ids[0];
        double Rtt(NodeId a, NodeId b) => Math.Floor(PastryTestNetwork.Rtt(a, b) / 20); // ties happen
        var set = new NeighbourhoodSet(owner, c.Size, Rtt);
        foreach (var id in ids.OrderBy(_ => random.Next()))
        {
            set.Consider(id);
        }

        var expected = ids.Skip(1).OrderBy(n => Rtt(owner, n)).ThenBy(n => n).Take(c.Size).ToList();
        Assert.Equal(expected, set.Members);
        if (expected.Count > 0)
        {
            Assert.Equal(Rtt(owner, expected[^1]), set.RttOf(expected[^1]));
            Assert.True(set.Remove(expected[0]));
            Assert.False(set.Contains(expected[0]));
            Assert.Null(set.RttOf(expected[0]));
        }
    }
}
