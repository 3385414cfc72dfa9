using P2POrleans.Client.Bench;
using P2POrleans.Client.Commands;
using P2POrleans.Client.Structured;

namespace P2POrleans.Tests.Client;

/// <summary>`p2p bench --sizes` against the memory the machine has free: sizes that fit run, the others are refused in one line.</summary>
public sealed class BenchMemoryTests
{
    private static readonly IStructuredAdapter Chord = StructuredAdapters.All.Single(o => o.Protocol == "chord");
    private static readonly IStructuredAdapter Kelips = StructuredAdapters.All.Single(o => o.Protocol == "kelips");

    [Fact]
    public void A_size_that_fits_is_not_a_problem_and_one_more_peer_than_the_largest_is()
    {
        var available = 3L * 1024 * 1024 * 1024;
        var largest = BenchMemory.Largest(Chord, available);
        Assert.InRange(largest, 1_000, BenchOptions.MaxPeers);
        Assert.True(BenchMemory.Needed(Chord, largest) <= available);
        Assert.Null(BenchMemory.Problem(Chord, largest, available));

        // Largest rounds down to a thousand: a thousand more no longer fits.
        Assert.True(BenchMemory.Needed(Chord, largest + 1_000) > available);
        var problem = BenchMemory.Problem(Chord, largest + 1_000, available);
        Assert.NotNull(problem);
        Assert.StartsWith("--sizes: ", problem, StringComparison.Ordinal);
        Assert.Contains($"the largest chord size that fits is {largest:N0}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void Kelips_needs_more_per_peer_as_it_grows_so_fewer_of_its_peers_fit()
    {
        var available = 8L * 1024 * 1024 * 1024;
        Assert.True(Kelips.EstimatedBytesPerPeer(100_000) > Kelips.EstimatedBytesPerPeer(10_000));
        Assert.True(BenchMemory.Largest(Kelips, available) < BenchMemory.Largest(Chord, available));
    }

    /// <summary>Whole-process peak resident bytes measured by `p2p bench` under /usr/bin/time -v (docs/bench.md, quiet-window measurements).</summary>
    [Theory]
    [InlineData("chord", 1_000_000, 4_462L * 1_000_000)]
    [InlineData("pastry", 100_000, 1_035_313_152L)]
    [InlineData("kelips", 10_000, 966_328_320L)]
    [InlineData("kelips", 30_000, 3_235_315_712L)]
    public void The_estimate_covers_the_measured_peak_without_refusing_a_size_that_ran(string protocol, int peers, long measuredPeak)
    {
        var overlay = StructuredAdapters.All.Single(o => o.Protocol == protocol);
        var needed = BenchMemory.Needed(overlay, peers);
        Assert.InRange(needed, measuredPeak, measuredPeak * 2);

        // With less than the measured peak free the size is refused in one line naming a smaller size that fits;
        // with the estimate free it runs.
        var problem = BenchMemory.Problem(overlay, peers, measuredPeak - 1);
        Assert.NotNull(problem);
        Assert.StartsWith("--sizes: ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
        Assert.InRange(BenchMemory.Largest(overlay, measuredPeak - 1), 1, peers - 1);
        Assert.Null(BenchMemory.Problem(overlay, peers, needed));
    }

    [Fact]
    public void With_less_free_memory_than_the_process_itself_needs_no_size_fits()
    {
        var problem = BenchMemory.Problem(Chord, BenchOptions.MinPeers, BenchMemory.ProcessBytes / 2);
        Assert.NotNull(problem);
        Assert.EndsWith("no size fits", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_lists_each_overlay_and_size_that_does_not_fit()
    {
        var options = new BenchOptions(["chord", "kelips"], [1_000, 1_000_000], 1_000, 8, 1);
        var available = 2L * 1024 * 1024 * 1024;
        var problems = BenchCommand.MemoryProblems(options, available).ToList();

        // 10^6 Chord peers (about 5 GB) and 10^6 Kelips peers do not fit in 2 GiB; 1,000 of either do.
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("1,000,000 chord peers", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("1,000,000 kelips peers", StringComparison.Ordinal));
        Assert.Empty(BenchCommand.MemoryProblems(options with { Sizes = [1_000] }, available));
    }

    [Fact]
    public void The_free_memory_read_from_this_machine_is_positive()
    {
        Assert.True(BenchMemory.Available() > 0);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3, 3, 3)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 1, 3, 5)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 1, 2.5, 4)]
    public void A_spread_is_the_smallest_the_median_and_the_largest(double[] values, double min, double median, double max)
    {
        Assert.Equal(new BenchSpread(min, median, max), BenchSpread.Of(values));
    }
}
