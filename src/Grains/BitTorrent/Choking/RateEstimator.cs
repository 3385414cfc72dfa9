namespace P2POrleans.BitTorrent.Choking;

/// <summary>
/// Bytes per second over a rolling window (mainline uses about 20 s) on simulated time: the
/// measure the choker ranks peers by (Cohen 2003 section 3.1). Times must not go backwards.
/// </summary>
public sealed class RateEstimator
{
    public const double DefaultWindowSeconds = 20;

    /// <summary>A young estimator divides by at least this, so one early block is not an enormous rate.</summary>
    public const double MinimumPeriodSeconds = 1;

    // Older samples, then the youngest one still open: bytes added at the same time join it (a member adds one
    // sample per 16 KiB block, dozens per tick, all at the tick's time), so the queue holds one entry per time.
    private readonly Queue<(double Time, long Bytes)> _samples = new();
    private (double Time, long Bytes)? _youngest;
    private readonly double _start;
    private long _bytesInWindow;
    private double _lastTime;

    public RateEstimator(double windowSeconds = DefaultWindowSeconds, double startTime = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        WindowSeconds = windowSeconds;
        _start = startTime;
        _lastTime = startTime;
    }

    public double WindowSeconds { get; }

    public long TotalBytes { get; private set; }

    /// <summary>When bytes were last added, or null if never (the choker's snub test uses it).</summary>
    public double? LastDataAt { get; private set; }

    public void Add(double now, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Advance(now);
        if (bytes == 0)
        {
            return;
        }

        if (_youngest is { } young && young.Time == now)
        {
            _youngest = (now, young.Bytes + bytes);
        }
        else
        {
            if (_youngest is { } older)
            {
                _samples.Enqueue(older);
            }

            _youngest = (now, bytes);
        }

        _bytesInWindow += bytes;
        TotalBytes += bytes;
        LastDataAt = now;
    }

    /// <summary>Bytes per second over the last window (or since the start, if younger than a window).</summary>
    public double Rate(double now)
    {
        Advance(now);
        var period = Math.Clamp(now - _start, MinimumPeriodSeconds, WindowSeconds);
        return _bytesInWindow / period;
    }

    private void Advance(double now)
    {
        if (now < _lastTime)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, $"time went backwards from {_lastTime}");
        }

        _lastTime = now;
        while (_samples.Count > 0 && _samples.Peek().Time <= now - WindowSeconds)
        {
            _bytesInWindow -= _samples.Dequeue().Bytes;
        }

        if (_samples.Count == 0 && _youngest is { } young && young.Time <= now - WindowSeconds)
        {
            _bytesInWindow -= young.Bytes;
            _youngest = null;
        }
    }
}
