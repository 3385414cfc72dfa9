namespace P2POrleans.Unstructured;

/// <summary>
/// "Ping the candidates, fetch from the best": the best host is the one with the smallest
/// estimated transfer time, one round trip to set up plus size / rate. Hosts that did not answer
/// or report no bandwidth are skipped; ties go to the smaller RTT, then the smaller address.
/// </summary>
public static class BestHostSelector
{
    public static TimeSpan EstimatedTime(HostCandidate candidate, long fileSize)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        if (candidate.Rtt is not { } rtt || !(candidate.TransferRate > 0))
        {
            return TimeSpan.MaxValue;
        }

        var seconds = rtt.TotalSeconds + (fileSize / candidate.TransferRate);
        return seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
    }

    public static HostCandidate? Choose(IEnumerable<HostCandidate> candidates, long fileSize)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .Where(c => c.Rtt is not null && c.TransferRate > 0 && !double.IsInfinity(c.TransferRate))
            .OrderBy(c => EstimatedTime(c, fileSize))
            .ThenBy(c => c.Rtt)
            .ThenBy(c => c.Peer)
            .FirstOrDefault();
    }

    /// <summary>The estimated transfer time, in milliseconds, of a probed host (as the console shows it).</summary>
    public static double EstimatedMs(ProbedHost host, long bytes)
    {
        ArgumentNullException.ThrowIfNull(host);
        return EstimatedTime(Candidate(host), bytes).TotalMilliseconds;
    }

    public static HostCandidate Candidate(ProbedHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new(host.Endpoint, host.RttMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, host.BytesPerSecond);
    }
}
