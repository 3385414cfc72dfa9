using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>Chord's parameters: the batched ticks of a stepped round, and what nodes made one after another share.</summary>
public sealed class ChordParametersTests
{
    [Fact]
    public void Ticks_run_one_at_a_time_unless_asked_and_a_batch_has_bounds()
    {
        Assert.Equal(1, new ChordParameters().TicksInParallel);
        Assert.Empty(new ChordParameters().Validate());
        Assert.Equal(64, new ChordParameters { ParallelTicks = 64 }.TicksInParallel);
        Assert.Empty(new ChordParameters { ParallelTicks = 64 }.Validate());
        Assert.Contains(new ChordParameters { ParallelTicks = 0 }.Validate(), p => p.Contains("parallel ticks must be between 1 and 4,096", StringComparison.Ordinal));
        Assert.Contains(new ChordParameters { ParallelTicks = 5000 }.Validate(), p => p.Contains("parallel ticks must be between 1 and 4,096", StringComparison.Ordinal));
    }

    [Fact]
    public void Nodes_made_one_after_another_keep_their_own_parameters_and_network()
    {
        var host = new ChordHost(_ => throw new InvalidOperationException("no calls here"), new PeerCallOptions(), TimeProvider.System, "test");
        var a = new ChordParameters { Bits = 16, Seed = 1 };
        var b = new ChordParameters { Bits = 16, Seed = 2 };
        var x = NodeId.FromUInt64(10);
        var y = NodeId.FromUInt64(20_000);

        var first = new ChordNode(a, x, "a1", host);
        var second = new ChordNode(a with { }, y, "a2", host);
        var third = new ChordNode(b, y, "b1", host);
        var fourth = new ChordNode(a, x, "a3", host);

        // Nodes share equal parameters (one instance for a run of them); whatever was made in between,
        // each node holds parameters equal to its own (other tests make nodes on other threads meanwhile).
        Assert.Equal(a, first.Parameters);
        Assert.Equal(a, second.Parameters);
        Assert.Equal(a, fourth.Parameters);
        Assert.Equal(b, third.Parameters);
        Assert.Equal(2, third.Parameters.Seed);

        // The network model follows each node's seed: the same pair of peers, the seed's own distances.
        Assert.Equal(new NetworkModel(2).Rtt(x, y), third.Network.Rtt(x, y));
        Assert.Equal(new NetworkModel(1).Rtt(x, y), fourth.Network.Rtt(x, y));
        Assert.NotEqual(third.Network.Rtt(x, y), fourth.Network.Rtt(x, y));
    }
}
