using P2POrleans.Client.Experiments;

namespace P2POrleans.Tests.Client;

/// <summary>The gnutella-ttl summary says only what its rows show (docs/experiments.md).</summary>
public sealed class GnutellaTtlSummaryTests
{
    [Fact]
    public void A_hit_rate_that_peaked_before_the_largest_TTL_says_the_larger_TTL_finds_no_more()
    {
        Assert.Equal("TTL 7 reaches 987 and finds no more", GnutellaTtlExperiment.HitRateTail(6, 7, 987, 0.98));
    }

    [Fact]
    public void A_hit_rate_that_reached_every_query_at_the_largest_TTL_is_not_called_still_growing()
    {
        Assert.Equal("every query found a copy by then", GnutellaTtlExperiment.HitRateTail(7, 7, 3542, 1.0));
        Assert.Equal(string.Empty, GnutellaTtlExperiment.NapsterTail(1.0, 1.0));
    }

    [Fact]
    public void A_hit_rate_below_one_at_the_largest_TTL_is_still_growing_and_napster_tells_missing_titles_from_missed_copies()
    {
        Assert.Equal("it is still growing at the largest TTL", GnutellaTtlExperiment.HitRateTail(7, 7, 3542, 0.9));
        Assert.Contains("titles nobody shares", GnutellaTtlExperiment.NapsterTail(0.9, 0.9), StringComparison.Ordinal);
        Assert.Contains("misses copies that exist", GnutellaTtlExperiment.NapsterTail(0.95, 0.9), StringComparison.Ordinal);
    }
}
