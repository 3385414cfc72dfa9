using P2POrleans.Common;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Napster;

/// <summary>The Napster client's rules: the server's answer as hits, its uploads, its shared list.</summary>
public sealed class NapsterNodeTests
{
    private static readonly NapsterParameters Parameters = new() { Seed = 9 };

    [Fact]
    public void A_servers_answer_becomes_hits_of_other_peers_one_hop_away_through_the_server()
    {
        var client = new NapsterNode(3, Parameters, [new SharedFile(0, 10, "abba - waterloo.mp3")]);
        var file = new SharedFile(2, 20, "abba - waterloo.mp3");
        DirectoryEntry[] entries = [new(client.Library.Files[0], client.Endpoint), new(file, PeerEndpoint.ForNode(8))];

        var outcome = client.Searched("abba", entries);
        var hit = Assert.Single(outcome.Hits); // its own file is not a hit
        Assert.Equal(8, hit.Node);
        Assert.Equal([-1, 3], hit.PathBack);
        Assert.Equal(UnstructuredWorld.Identity(Parameters.Seed, 8).ServentId, hit.ServentId);
        Assert.Equal(1, outcome.HopsToFirstHit);
        Assert.Equal(new DescriptorCounts(0, 0, 0, 1, 1), outcome.Messages);
        Assert.Equal(new DescriptorCounts(0, 0, 0, 1, 0), client.Sent);

        Assert.Null(client.Searched("abba", []).HopsToFirstHit);
        var down = NapsterNode.SearchFailed(3, "abba", "the server is down");
        Assert.False(down.Success);
        Assert.Equal(new DescriptorCounts(0, 0, 0, 1, 0), down.Messages);
    }

    [Fact]
    public void Shared_files_take_the_next_index_and_uploads_are_counted()
    {
        var client = new NapsterNode(1, Parameters, [new SharedFile(4, 10, "a.mp3")]);
        Assert.Equal(5u, client.Share("b.mp3", 30).Index);
        Assert.Equal(30u, client.Upload(5).Size);
        Assert.Equal(1, client.Uploads);
        Assert.Throws<P2PException>(() => client.Upload(6));
        Assert.Equal(1, client.View().Reputation);
        Assert.Equal(2, client.View().Files);
    }
}
