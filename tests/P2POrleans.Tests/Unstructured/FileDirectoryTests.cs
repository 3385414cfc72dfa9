using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Unstructured;

public sealed class FileDirectoryTests
{
    private static readonly PeerEndpoint P1 = PeerEndpoint.Parse("10.0.0.1:6699");
    private static readonly PeerEndpoint P2 = PeerEndpoint.Parse("10.0.0.2:6699");
    private static readonly PeerEndpoint P3 = PeerEndpoint.Parse("10.0.0.3:6699");

    private static SharedFile[] Files(params string[] names) => names.Select((n, i) => new SharedFile((uint)i, 1000, n)).ToArray();

    [Fact]
    public void Add_search_and_remove_a_peer()
    {
        var dir = new FileDirectory();
        dir.AddPeer(P1, Files("Madonna - Like A Prayer.mp3", "Beatles - Yesterday.mp3"));
        dir.AddPeer(P2, Files("madonna - frozen.mp3"));
        dir.AddPeer(P3, []); // a free rider is online too

        Assert.Equal([P1, P2, P3], dir.OnlinePeers);
        Assert.Equal(3, dir.FileCount);
        Assert.Equal(["Madonna - Like A Prayer.mp3", "madonna - frozen.mp3"], dir.Search("MADONNA").Select(e => e.FileName));
        Assert.Equal([P1], dir.Search("madonna pray").Select(e => e.Peer));
        Assert.Equal(3, dir.Search("mp").Count);
        Assert.Equal("Beatles - Yesterday.mp3", Assert.Single(dir.Search("yester")).FileName);
        Assert.Empty(dir.Search("madon prayer")); // only the last word may be a prefix
        Assert.Empty(dir.Search(""));

        Assert.Equal(2, dir.RemovePeer(P1));
        Assert.Equal(0, dir.RemovePeer(P1));
        Assert.Equal([P2, P3], dir.OnlinePeers);
        Assert.Equal([P2], dir.Search("madonna").Select(e => e.Peer));
        Assert.Empty(dir.Search("beatles"));
    }

    [Fact]
    public void Logging_in_again_replaces_the_file_list_and_unused_words_leave_the_index()
    {
        var dir = new FileDirectory();
        dir.AddPeer(P1, Files("alpha beta.mp3"));
        var words = dir.WordCount;
        dir.AddPeer(P1, Files("gamma.mp3"));
        Assert.Empty(dir.Search("alpha"));
        Assert.Single(dir.Search("gamma"));
        Assert.Equal(1, dir.FileCount);
        Assert.Equal(words - 1, dir.WordCount); // alpha, beta out; gamma in; mp3 stays
        dir.RemovePeer(P1);
        Assert.Equal(0, dir.WordCount);
    }

    public static Arbitrary<(string[][] Libraries, string Query, int Removed)> Directories()
    {
        var word = Gen.Elements("rock", "roll", "Rocket", "jazz", "ja", "blue", "blues", "mp3", "live");
        var name = Gen.ArrayOf(word, 3).Select(ws => string.Join(" - ", ws));
        return (from libraries in Gen.ArrayOf(Gen.ArrayOf(name, 4), 5)
                from query in Gen.ArrayOf(Gen.OneOf(word, Gen.Elements("ro", "j", "BLU", "x")), 2).Select(ws => string.Join(' ', ws))
                from removed in Gen.Choose(0, 4)
                select (libraries, query, removed)).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(FileDirectoryTests)], MaxTest = 200)]
    public void Search_through_the_tree_equals_a_linear_scan_of_every_file(
        (string[][] Libraries, string Query, int Removed) p)
    {
        var dir = new FileDirectory();
        var online = new List<(PeerEndpoint Peer, SharedFile File)>();
        for (var i = 0; i < p.Libraries.Length; i++)
        {
            var peer = PeerEndpoint.ForNode(i);
            var files = Files(p.Libraries[i]);
            dir.AddPeer(peer, files);
            if (i != p.Removed)
            {
                online.AddRange(files.Select(f => (peer, f)));
            }
        }

        dir.RemovePeer(PeerEndpoint.ForNode(p.Removed));
        var query = new KeywordQuery(p.Query);
        var expected = online.Where(e => query.Matches(e.File.Name))
            .OrderBy(e => e.File.Name, StringComparer.Ordinal).ThenBy(e => e.Peer).ThenBy(e => e.File.Index)
            .Select(e => (e.Peer, e.File));
        Assert.Equal(expected, dir.Search(p.Query).Select(e => (e.Peer, e.File)));
    }

    [Fact]
    public void The_best_host_minimises_rtt_plus_transfer_time()
    {
        var fast = new HostCandidate(P1, TimeSpan.FromMilliseconds(300), 1_000_000);
        var near = new HostCandidate(P2, TimeSpan.FromMilliseconds(10), 50_000);
        var silent = new HostCandidate(P3, null, 1e9);
        // 5 MB: 0.3 s + 5 s beats 0.01 s + 100 s
        Assert.Equal(fast, BestHostSelector.Choose([near, fast, silent], 5_000_000));
        // 1 KB: the round trip dominates
        Assert.Equal(near, BestHostSelector.Choose([near, fast, silent], 1_000));
        Assert.Null(BestHostSelector.Choose([silent, new HostCandidate(P1, TimeSpan.Zero, 0)], 1));
        Assert.Equal(TimeSpan.FromSeconds(5.3), BestHostSelector.EstimatedTime(fast, 5_000_000));
    }
}
