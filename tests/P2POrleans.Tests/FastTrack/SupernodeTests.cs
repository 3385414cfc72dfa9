using P2POrleans.FastTrack;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.FastTrack;

public sealed class SupernodeTests
{
    private static ServentIdentity Child(int n, uint speed = 1000) => new(Guid.NewGuid(), PeerEndpoint.ForNode(n), speed);

    [Fact]
    public void A_supernode_directory_answers_with_one_query_hit_per_child_addressed_to_the_child()
    {
        var dir = new SupernodeDirectory();
        var (a, b, c) = (Child(1), Child(2, speed: 56), Child(3));
        Assert.True(dir.AddChild(a, [new SharedFile(0, 10, "blue moon.mp3"), new SharedFile(1, 10, "blue sky.mp3")]));
        Assert.True(dir.AddChild(b, [new SharedFile(4, 10, "Blue Moon (live).mp3")]));
        Assert.True(dir.AddChild(c, [new SharedFile(0, 10, "red.mp3")]));

        var hits = dir.Answer(new Query(0, "blue"), PeerEndpoint.ForNode(9));
        Assert.Equal(2, hits.Count);
        var fromA = Assert.Single(hits, h => h.ServentId == a.ServentId);
        Assert.Equal(a.Endpoint, fromA.Endpoint);
        Assert.Equal(2, fromA.HitCount);

        // the asking child does not hear about its own files; slow children are left out of fast queries
        Assert.DoesNotContain(dir.Answer(new Query(0, "blue"), a.Endpoint), h => h.ServentId == a.ServentId);
        Assert.DoesNotContain(dir.Answer(new Query(100, "blue moon"), c.Endpoint), h => h.ServentId == b.ServentId);

        Assert.True(dir.RemoveChild(a.Endpoint));
        Assert.Equal(b.ServentId, Assert.Single(dir.Answer(new Query(0, "blue"), c.Endpoint)).ServentId);
        Assert.Equal(2, dir.FileCount);
    }

    [Fact]
    public void A_full_supernode_refuses_new_children()
    {
        var dir = new SupernodeDirectory(maxChildren: 1);
        var a = Child(1);
        Assert.True(dir.AddChild(a, []));
        Assert.False(dir.AddChild(Child(2), []));
        Assert.True(dir.AddChild(a, [new SharedFile(0, 1, "x")])); // an update from a present child is fine
    }

    [Fact]
    public void A_joining_peer_picks_the_closest_reachable_supernode_with_room()
    {
        var rtt = new Dictionary<string, TimeSpan?>
        {
            ["far"] = TimeSpan.FromMilliseconds(120),
            ["near"] = TimeSpan.FromMilliseconds(15),
            ["nearest-but-full"] = TimeSpan.FromMilliseconds(5),
            ["dead"] = null,
        };
        Assert.True(SupernodeSelector.TryChooseClosest(rtt.Keys, s => rtt[s], out var chosen, s => s != "nearest-but-full"));
        Assert.Equal("near", chosen);
        Assert.False(SupernodeSelector.TryChooseClosest(["dead"], s => rtt[s], out _));
    }
}
