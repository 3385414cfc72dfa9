using FsCheck.Xunit;
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

    /// <summary>
    /// Samples at the same time share one entry; the rate must still be exactly the bytes of the samples younger
    /// than the window over the period, as if every sample were kept on its own.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool The_rate_is_the_bytes_of_the_window_whatever_the_samples_share(byte[] steps, ushort[] sizes)
    {
        var rate = new RateEstimator(windowSeconds: 5);
        var samples = new List<(double Time, long Bytes)>();
        var now = 0.0;
        for (var i = 0; i < Math.Min(steps.Length, sizes.Length); i++)
        {
            now += (steps[i] % 4) * 0.5; // 0 (same time), 0.5, 1 or 1.5 s later
            rate.Add(now, sizes[i]);
            samples.Add((now, sizes[i]));
            var expected = samples.Where(s => s.Time > now - 5).Sum(s => s.Bytes) / Math.Clamp(now, RateEstimator.MinimumPeriodSeconds, 5);
            if (Math.Abs(rate.Rate(now) - expected) > 1e-9 * Math.Max(1, expected))
            {
                return false;
            }
        }

        return true;
    }
}
