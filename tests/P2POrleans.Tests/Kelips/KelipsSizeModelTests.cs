using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

public sealed class KelipsSizeModelTests
{
    [Fact]
    public void The_course_figure_of_about_1_93_MB_per_node_comes_out_of_the_formula()
    {
        // n = 100,000, F = 10 million, k = ceil(sqrt n) = 317, c = 2 (Kelips section 2).
        Assert.Equal(317, AffinityGroups.DefaultGroupCount(100_000));
        var bytes = KelipsSizeModel.AnalyticBytesPerPeer(100_000, 10_000_000);
        Assert.Equal(1.93, Math.Round(bytes / 1e6, 2));

        // The filetuples dominate: F/k of them against n/k + c(k-1) node entries.
        var tuples = 10_000_000 / 317.0 * KelipsSizeModel.FileTupleBytes;
        Assert.True(tuples / bytes > 0.95);
    }

    [Fact]
    public void A_peer_state_is_priced_by_its_entry_counts()
    {
        var peer = new KelipsSoftState(NodeId.FromUInt64(0), new KelipsOptions { GroupCount = 2 }, (_, _) => 1, new Random(0));
        Assert.Equal(KelipsSizeModel.NodeEntryBytes, peer.StateBytes); // itself
        peer.Learn(new MemberEntry(NodeId.FromUInt64(2), 1), 0);
        peer.Learn(new MemberEntry(NodeId.FromUInt64(3), 1), 0);
        var file = Enumerable.Range(0, 100).Select(i => $"f{i}").First(n => peer.Groups.OfFile(n) == 0);
        peer.Insert(file, 0);
        Assert.Equal((3 * 40) + 60, peer.StateBytes);
        Assert.Equal(40 + (12 * 40) + (8 * 60), KelipsSizeModel.MessageBytes(8, 4, 8));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(400, 20)]
    [InlineData(401, 21)]
    public void The_default_group_count_is_the_ceiling_of_the_square_root(int n, int k) =>
        Assert.Equal(k, AffinityGroups.DefaultGroupCount(n));

    [Fact]
    public void Groups_are_id_mod_k_and_file_groups_are_sha1_mod_k()
    {
        var groups = new AffinityGroups(7);
        var id = IdSpace.Sha1.Hash("peer-1");
        Assert.Equal((int)(id.ToBigInteger() % 7), groups.Of(id));
        Assert.Equal((int)(IdSpace.Sha1.Hash("movie.avi").ToBigInteger() % 7), groups.OfFile("movie.avi"));
    }
}
