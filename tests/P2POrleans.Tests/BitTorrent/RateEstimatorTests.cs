using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Choking;

namespace P2POrleans.Tests.BitTorrent;

public sealed class RateEstimatorTests
{
    [Fact]
    public void A_steady_stream_reads_as_its_rate_and_silence_decays_to_zero()
    {
        var rate = new RateEstimator(windowSeconds: 20);
        for (var t = 1; t <= 60; t++)
        {
            rate.Add(t, 1000);
        }

        Assert.Equal(1000, rate.Rate(60), precision: 6);
        Assert.Equal(60_000, rate.TotalBytes);
        Assert.Equal(60, rate.LastDataAt);
        Assert.Equal(500, rate.Rate(70), precision: 6); // half the window is silent
        Assert.Equal(0, rate.Rate(80.5));
    }

    [Fact]
    public void A_young_estimator_divides_by_its_age_not_the_whole_window()
    {
        var rate = new RateEstimator(20, startTime: 100);
        rate.Add(100.5, 5000);
        Assert.Equal(5000, rate.Rate(100.5)); // at least one second
        rate.Add(105, 5000);
        Assert.Equal(2000, rate.Rate(105), precision: 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => rate.Add(104, 1));
    }
}
