using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>The overlay parameters: k fixed from the expected N, validation, and the filetuple timeout growing with files per group.</summary>
public sealed class KelipsParametersTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 8)]
    [InlineData(65, 9)]
    [InlineData(100_000, 317)]
    public void Groups_default_to_the_ceiling_of_the_square_root_of_the_expected_peers(int n, int k)
    {
        Assert.Equal(k, new KelipsParameters { ExpectedPeers = n }.GroupCount);
        Assert.Equal(k, new KelipsParameters { ExpectedPeers = n }.ToOptions().GroupCount);
        Assert.Equal(5, new KelipsParameters { ExpectedPeers = n, Groups = 5 }.GroupCount);
    }

    [Fact]
    public void The_filetuple_timeout_grows_with_the_files_per_group()
    {
        var small = KelipsOptions.GrownFileTupleTimeout(10, 100, 1_000);
        var more = KelipsOptions.GrownFileTupleTimeout(10, 100, 100_000);
        var paper = KelipsOptions.GrownFileTupleTimeout(317, 100_000, 10_000_000);
        Assert.Equal(200, small);
        Assert.True(more > small);
        Assert.True(paper > 4 * (10_000_000 / 317 / 8), $"{paper} rounds cannot refresh 31,546 tuples per group at 8 per message");
        Assert.Equal(33, new KelipsParameters { FileTupleTimeoutRounds = 33 }.ToOptions().FileTupleTimeoutRounds);
        Assert.Equal(more, new KelipsParameters { Groups = 10, ExpectedPeers = 100, ExpectedFiles = 100_000 }.ToOptions().FileTupleTimeoutRounds);
    }

    [Fact]
    public void Invalid_parameters_are_reported_one_line_each()
    {
        var problems = new KelipsParameters { ExpectedPeers = 0, Contacts = 0, Fanout = 0, Bits = 4, MemberTimeoutRounds = 1 }.Validate().ToList();
        Assert.Equal(5, problems.Count);
        Assert.Empty(new KelipsParameters().Validate());
        new KelipsParameters().ToOptions().Validate();
    }
}
