using P2POrleans.Client;

namespace P2POrleans.Tests.Client;

/// <summary>Paths from the command line: bad ones are bad input, never an ArgumentException from .NET.</summary>
public sealed class CliPathsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\0b")]
    [InlineData(null)]
    public void Unusable_paths_are_one_clear_error_naming_the_option(string? path)
    {
        var e = Assert.Throws<CliException>(() => CliPaths.Full(path, "--out"));
        Assert.StartsWith("--out", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_path_becomes_a_full_path()
    {
        Assert.Equal(Path.GetFullPath("results"), CliPaths.Full("results", "--out"));
    }
}
