using P2POrleans.Common;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Unstructured;

/// <summary>"Ping the candidates, fetch from the best", shared by the three systems.</summary>
public sealed class HostProbeTests
{
    private static FoundFile Hit(int node, string name) =>
        new(node, PeerEndpoint.ForNode(node), new SharedFile(0, 1_000_000, name), Guid.NewGuid(), 1000, [node, 0]);

    private static QueryOutcome Search(params FoundFile[] hits) => new("test", "q", 0, 3, hits, [0], DescriptorCounts.Zero, 1, null);

    [Fact]
    public async Task Only_the_holders_of_the_first_file_found_are_pinged_and_a_dead_one_is_reported()
    {
        var search = Search(Hit(1, "a.mp3"), Hit(2, "b.mp3"), Hit(3, "a.mp3"), Hit(4, "a.mp3"));
        var pinged = new List<int>();
        var dead = new List<int>();
        var probed = await HostProbe.ProbeAsync("test", 0, search, new NetworkModel(1), node =>
        {
            pinged.Add(node);
            return node == 3 ? throw new PeerUnreachableException("gone") : Task.FromResult(new PeerProbe(node == 1 ? 56u : 10_000u, false));
        }, hit =>
        {
            dead.Add(hit.Node);
            return Task.CompletedTask;
        });

        Assert.Equal([1, 3, 4], pinged);
        Assert.Equal([3], dead);
        Assert.Equal([1, 3, 4], probed.Select(p => p.Host.Node));
        Assert.Null(probed[1].Host.RttMs);
        Assert.Equal(new NetworkModel(1).Rtt(UnstructuredNodes.IdOf(0), UnstructuredNodes.IdOf(4)), probed[2].Host.RttMs);
        Assert.Equal(10_000 * 1000.0 / 8, probed[2].Host.BytesPerSecond);
        Assert.Equal(new DescriptorCounts(3, 2, 0, 0, 0), HostProbe.Messages(probed));
    }

    [Fact]
    public async Task A_direct_fetch_downloads_from_the_quickest_answering_host()
    {
        var search = Search(Hit(1, "a.mp3"), Hit(2, "a.mp3"));
        IReadOnlyList<(ProbedHost, FoundFile)> probed =
        [
            (new ProbedHost(1, PeerEndpoint.ForNode(1), 10, 7_000, false), search.Hits[0]), // 1 MB at 7 kB/s
            (new ProbedHost(2, PeerEndpoint.ForNode(2), 200, 1_250_000, false), search.Hits[1]), // a slower ping, a LAN
        ];
        var fetch = await HostProbe.FetchDirectAsync(search, probed, hit => Task.FromResult(hit.File), null);
        Assert.True(fetch.Success);
        Assert.Equal(2, fetch.Chosen!.Node);
        Assert.Equal("direct", fetch.Route);
        Assert.Equal(200 + 800, fetch.EstimatedMs, 6);

        var nobody = await HostProbe.FetchDirectAsync(search, [(probed[0].Item1 with { RttMs = null }, search.Hits[0])], hit => Task.FromResult(hit.File), null);
        Assert.False(nobody.Success);
        Assert.Equal("no holder of 'a.mp3' answered the ping", nobody.Error);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(3, 3)]
    [InlineData(9, 7)]
    public void A_searchers_ttl_defaults_to_the_overlays_and_is_clamped_to_its_maximum(int? asked, int expected) =>
        Assert.Equal(expected, QueryTtl.Resolve(new GnutellaParameters { Ttl = 5, MaxTtl = 7 }, asked));

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    public void A_ttl_outside_a_byte_is_refused(int asked) =>
        Assert.Throws<P2PException>(() => QueryTtl.Resolve(new GnutellaParameters(), asked));
}
