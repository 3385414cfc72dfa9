using P2POrleans.Testing.Unstructured;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.FastTrack;

/// <summary>The same peers, files and search under Gnutella flooding and under FastTrack supernodes.</summary>
public sealed class FastTrackSimulationTests
{
    private const int Peers = 1000;
    private static readonly Topology Topology = TopologyGenerator.BarabasiAlbert(Peers, 2, new Random(21));

    private static readonly IReadOnlyList<SharedLibrary> Libraries = Enumerable.Range(0, Peers)
        .Select(n => n % 50 == 7
            ? new SharedLibrary([new SharedFile(3, 4_000_000, $"Rare Title {n}.mp3")])
            : new SharedLibrary([new SharedFile(0, 1_000, $"common {n % 13}.txt")]))
        .ToArray();

    private static readonly int[] Holders = Enumerable.Range(0, Peers).Where(n => n % 50 == 7).ToArray();

    private static FastTrackSimulator NewFastTrack() =>
        new(Topology, Libraries, FastTrackSimulator.PickByDegree(Topology, 40), supernodeDegree: 4, ServentOptions.Default, seed: 21);

    [Fact]
    public void Every_peer_joins_its_closest_supernode_and_the_supernodes_index_their_children()
    {
        var ft = NewFastTrack();
        var distances = ft.Supernodes.ToDictionary(s => s, s => Bfs.Distances(Topology, s));
        for (var node = 0; node < Peers; node++)
        {
            var s = ft.SupernodeOf(node);
            Assert.Contains(s, ft.Supernodes);
            Assert.Equal(ft.Supernodes.Min(x => distances[x][node]), distances[s][node]);
        }

        Assert.Equal(Peers, ft.Supernodes.Sum(s => ft.DirectoryOf(s).ChildCount));
        Assert.Equal(Peers - 40, ft.JoinMessages);
    }

    [Fact]
    public void A_fasttrack_search_finds_the_holders_with_far_fewer_messages_than_gnutella_flooding()
    {
        var origin = 500;
        var gnutella = new GnutellaSimulator(Topology, Libraries, ServentOptions.Default, 21).Query(origin, "rare title", TimeSpan.Zero, 7);
        var fastTrack = NewFastTrack().Query(origin, "rare title", TimeSpan.Zero, 7);

        var expected = Holders.Where(h => h != origin).ToHashSet();
        Assert.True(expected.SetEquals(fastTrack.Hits.Select(h => h.Responder)), "every holder is found through the supernodes");
        Assert.True(gnutella.Hits.Count > expected.Count / 2, $"gnutella found {gnutella.Hits.Count} of {expected.Count}");
        Assert.True(fastTrack.Messages * 10 < gnutella.Messages, $"FastTrack {fastTrack.Messages} messages, Gnutella {gnutella.Messages}");
        Assert.True(fastTrack.QueryMessages * 10 < gnutella.QueryMessages);
    }

    [Fact]
    public void Children_never_see_the_supernode_flood_and_hits_name_the_child_that_holds_the_file()
    {
        var ft = NewFastTrack();
        var origin = Enumerable.Range(0, Peers).First(n => !ft.Supernodes.Contains(n) && !Holders.Contains(n));
        var result = ft.Query(origin, "rare", TimeSpan.Zero, 7);
        Assert.All(result.Reached.Where(n => n != origin), n => Assert.Contains(n, ft.Supernodes));
        Assert.All(result.Hits, h => Assert.Equal(ft.SupernodeOf(h.Responder), h.Path[0]));
        Assert.All(result.Hits, h => Assert.Equal(origin, h.Path[^1]));
        Assert.All(result.Hits, h => Assert.Equal(ft.SupernodeOf(origin), h.Path[^2]));
    }

    [Fact]
    public void The_supernode_flood_obeys_the_ttl()
    {
        var ft = NewFastTrack();
        var origin = Enumerable.Range(0, Peers).First(n => !ft.Supernodes.Contains(n));
        var narrow = ft.Query(origin, "rare", TimeSpan.Zero, 2);
        // TTL 2: the child's supernode (1 hop) and its supernode neighbours (2 hops)
        Assert.Equal(1 + 1 + 4, narrow.Reached.Count);
        var wide = ft.Query(origin, "rare", TimeSpan.FromSeconds(1), 7);
        Assert.True(wide.Reached.Count > narrow.Reached.Count);
        Assert.True(wide.Hits.Count >= narrow.Hits.Count);
    }
}
