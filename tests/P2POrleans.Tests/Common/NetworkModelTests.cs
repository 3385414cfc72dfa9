using FsCheck.Xunit;
using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

public sealed class NetworkModelTests
{
    [Property(MaxTest = 300)]
    public bool Rtt_is_symmetric_zero_to_self_and_within_the_plane(long seed, ulong a, ulong b)
    {
        var model = new NetworkModel(seed);
        var x = NodeId.FromUInt64(a);
        var y = NodeId.FromUInt64(b);
        var rtt = model.Rtt(x, y);
        var max = 2 * (NetworkModel.BaseOneWayMs + (NetworkModel.PlaneSize * Math.Sqrt(2) * NetworkModel.MsPerUnit));
        return model.Rtt(x, x) == 0
            && rtt == model.Rtt(y, x)
            && (a == b || (rtt >= 2 * NetworkModel.BaseOneWayMs && rtt <= max));
    }

    [Fact]
    public void The_same_seed_gives_the_same_coordinates_and_another_seed_other_ones()
    {
        var id = IdSpace.Sha1.Hash("10.0.0.1:4000");
        Assert.Equal(new NetworkModel(7).Coordinates(id), new NetworkModel(7).Coordinates(id));
        Assert.NotEqual(new NetworkModel(7).Coordinates(id), new NetworkModel(8).Coordinates(id));
    }

    [Fact]
    public void Rtts_spread_over_the_range_rather_than_clumping()
    {
        var model = new NetworkModel(3);
        var ids = Enumerable.Range(0, 200).Select(i => IdSpace.Sha1.Hash("h" + i)).ToList();
        var rtts = ids.Skip(1).Select(i => model.Rtt(ids[0], i)).ToList();
        Assert.True(rtts.Min() < 60 && rtts.Max() > 120, $"min {rtts.Min()} max {rtts.Max()}");
    }

    [Fact]
    public void Seeded_streams_are_reproducible_and_independent()
    {
        var a = SeededRandom.Create(42, "fail").Next();
        Assert.Equal(a, SeededRandom.Create(42, "fail").Next());
        Assert.NotEqual(a, SeededRandom.Create(42, "join").Next());
        Assert.NotEqual(a, SeededRandom.Create(43, "fail").Next());
    }
}
