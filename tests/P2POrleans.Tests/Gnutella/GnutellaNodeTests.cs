using P2POrleans.Common;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Gnutella;

/// <summary>The servent's rules beyond routing: firewalls, Push and GIV, links.</summary>
public sealed class GnutellaNodeTests
{
    private static readonly GnutellaParameters Parameters = new() { Seed = 3, Ttl = 4, MaxTtl = 6, PongCaching = true };

    private static GnutellaNode Servent(int node, bool firewalled, params int[] neighbours) =>
        new(node, new ServentSetup(Parameters, node, neighbours, [new SharedFile(0, 4096, "oasis - wonderwall.mp3")], firewalled));

    [Fact]
    public void A_servent_starts_with_its_links_and_the_overlays_routing_options()
    {
        var servent = Servent(2, false, 5, 1);
        Assert.Equal([1, 5], servent.Neighbours.Order());
        Assert.Equal(4, servent.Servent.Options.DefaultTtl);
        Assert.Equal(6, servent.Servent.Options.MaxTtl);
        Assert.True(servent.Servent.Options.PongCacheEnabled);
        Assert.False(servent.Servent.Options.QueryCacheEnabled);
        servent.Connect(9);
        servent.Disconnect(1);
        Assert.Equal([5, 9], servent.Neighbours.Order());
        Assert.Equal(UnstructuredWorld.Identity(Parameters.Seed, 2), servent.Servent.Identity);
    }

    [Fact]
    public void A_firewalled_servent_refuses_downloads_but_answers_a_push_with_giv()
    {
        var hidden = Servent(1, true);
        Assert.True(hidden.Probe.Firewalled);
        Assert.Throws<P2PException>(() => hidden.Download(0));

        var requester = PeerEndpoint.ForNode(7);
        var giv = hidden.Giv(new Push(hidden.Servent.ServentId, 0, requester.Address, requester.Port));
        Assert.Equal(7, giv!.Value.To);
        Assert.Equal("oasis - wonderwall.mp3", giv.Value.File.Name);
        Assert.Null(hidden.Giv(new Push(hidden.Servent.ServentId, 5, requester.Address, requester.Port)));

        var open = Servent(2, false);
        Assert.Equal(4096u, open.Download(0).Size);
        Assert.Throws<P2PException>(() => open.Download(3));
    }

    [Fact]
    public void Two_firewalled_servents_cannot_trade_and_a_received_giv_is_kept()
    {
        var hidden = Servent(1, true);
        var open = Servent(2, false);
        var firewalledHost = new ProbedHost(5, PeerEndpoint.ForNode(5), 10, 1000, true);
        var openHost = firewalledHost with { Firewalled = false };
        Assert.False(hidden.CanDownloadFrom(firewalledHost));
        Assert.True(hidden.CanDownloadFrom(openHost));
        Assert.True(open.CanDownloadFrom(firewalledHost));

        var serventId = Guid.NewGuid();
        Assert.Null(open.ReceivedFrom(serventId, 0));
        open.Received(serventId, new SharedFile(0, 77, "x"));
        Assert.Equal(77u, open.ReceivedFrom(serventId, 0)!.Size);
    }

    [Fact]
    public void A_rounds_time_is_the_overlays_round_length()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Servent(0, false).TimeOf(3)); // 10 s rounds by default
    }
}
