using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

public sealed class SuccessorListTests
{
    private static NodeId N(ulong v) => NodeId.FromUInt64(v);

    [Fact]
    public void Rebuild_takes_the_successor_then_its_list_up_to_r_without_self()
    {
        var list = new SuccessorList(N(10), 3);
        list.Rebuild(N(20), [N(30), N(40), N(10), N(50)]);
        Assert.Equal([N(20), N(30), N(40)], list.Nodes);

        list.Rebuild(N(20), [N(10), N(30)]);
        Assert.Equal([N(20)], list.Nodes);
    }

    [Fact]
    public void Removing_every_successor_falls_back_to_self()
    {
        var list = new SuccessorList(N(10), 2);
        list.Rebuild(N(20), [N(30)]);
        Assert.True(list.Remove(N(20)));
        Assert.Equal(N(30), list.First);
        list.Remove(N(30));
        Assert.Equal(N(10), list.First);
        Assert.Empty(list.Take(2));
    }

    [Fact]
    public void Ideal_ring_successor_lists_and_replica_sets_wrap_around()
    {
        var space = new IdSpace(8);
        var ring = new IdealRing(space, new ulong[] { 5, 50, 100, 200 }.Select(N));
        Assert.Equal([N(5), N(50)], ring.SuccessorList(N(200), 2));
        Assert.Equal([N(50), N(100), N(200)], ring.SuccessorList(N(5), 8));
        Assert.Equal([N(5), N(50), N(100)], ring.ReplicaSet(N(201), 3));
        Assert.Equal(N(200), ring.Predecessor(N(5)));
        Assert.Equal(N(5), ring.Successor(N(255)));
        Assert.Equal(N(50), ring.Successor(N(50)));
    }
}
