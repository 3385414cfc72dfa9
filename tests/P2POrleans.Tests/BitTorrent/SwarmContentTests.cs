using FsCheck.Xunit;
using P2POrleans.BitTorrent.Swarm;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>
/// A swarm's generated file must stay the bytes it always was (seeded <see cref="Random"/>): its piece hashes give
/// the info hash, which seeds the tracker, so any other byte would change every experiment's swarm.
/// </summary>
public sealed class SwarmContentTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1000)]
    [InlineData(-7, 4096)]
    [InlineData(int.MaxValue, 3)]
    [InlineData(int.MinValue, 777)]
    [InlineData(123_456_789, 100_003)]
    [InlineData(42, 4096)]
    [InlineData(43, 4097)]
    [InlineData(44, 8192 + 31)]
    public void Fill_writes_the_bytes_of_seeded_Random(int seed, int length)
    {
        var expected = new byte[length];
        new Random(seed).NextBytes(expected);
        var actual = new byte[length];

        SwarmContent.Fill(seed, actual);

        Assert.Equal(expected, actual);
    }

    [Property(MaxTest = 200)]
    public bool Any_seed_gives_the_bytes_of_seeded_Random(int seed, byte length)
    {
        var expected = new byte[length];
        new Random(seed).NextBytes(expected);
        var actual = new byte[length];
        SwarmContent.Fill(seed, actual);
        return expected.AsSpan().SequenceEqual(actual);
    }

    [Property(MaxTest = 100)]
    public bool Any_length_across_passes_gives_the_bytes_of_seeded_Random(int seed, ushort length)
    {
        // Lengths up to 65,535: many passes of the vectorised generator, and every partial last pass and vector.
        var expected = new byte[length];
        new Random(seed).NextBytes(expected);
        var actual = new byte[length];
        SwarmContent.Fill(seed, actual);
        return expected.AsSpan().SequenceEqual(actual);
    }

    [Theory]
    [InlineData(3, SwarmContent.ParallelFrom)]
    [InlineData(4, SwarmContent.ParallelFrom + 12_345)]
    public void A_large_file_written_in_two_halves_is_the_content_of_the_swarm_seed(long seed, int length)
    {
        var expected = new byte[length];
        new Random(P2POrleans.Common.SeededRandom.DeriveSeed(seed, "bt-content")).NextBytes(expected);

        Assert.True(expected.AsSpan().SequenceEqual(SwarmContent.Generate(seed, length)));
    }

    [Fact]
    public void Generate_is_the_content_of_the_swarm_seed()
    {
        var expected = new byte[65_536];
        new Random(P2POrleans.Common.SeededRandom.DeriveSeed(7, "bt-content")).NextBytes(expected);

        Assert.Equal(expected, SwarmContent.Generate(7, expected.Length));
    }
}
