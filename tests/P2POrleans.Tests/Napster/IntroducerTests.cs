using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Napster;

public sealed class IntroducerTests
{
    private static readonly PeerEndpoint P1 = PeerEndpoint.Parse("10.0.0.1:6699");
    private static readonly PeerEndpoint P2 = PeerEndpoint.Parse("10.0.0.2:6699");
    private static readonly PeerEndpoint P3 = PeerEndpoint.Parse("10.0.0.3:6699");

    [Fact]
    public void The_introducer_gives_recent_peers_but_never_the_newcomer()
    {
        var introducer = new Introducer(capacity: 3, new Random(1));
        Assert.Empty(introducer.Join(P1, 2));
        Assert.Equal([P1], introducer.Join(P2, 2));
        var third = introducer.Join(P3, 5);
        Assert.Equal([P1, P2], third.Order());
        var p4 = PeerEndpoint.Parse("10.0.0.4:6699");
        Assert.Equal(2, introducer.Join(p4, 2).Count);
        Assert.Equal([p4, P3, P2], introducer.Recent); // capacity 3: P1, the oldest, is forgotten
        Assert.DoesNotContain(P2, introducer.Join(P2, 10));
        Assert.True(introducer.Leave(P3));
        Assert.Equal([P2, p4], introducer.Recent);
    }
}
