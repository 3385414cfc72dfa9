namespace P2POrleans.BitTorrent.Swarm;

/// <summary>The generated file of a swarm: pseudo-random bytes from the seed, the same for a seed on every machine.</summary>
public static class SwarmContent
{
    public static byte[] Generate(long seed, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        var bytes = new byte[length];
        new Random(P2POrleans.Common.SeededRandom.DeriveSeed(seed, "bt-content")).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The announce URL a swarm's torrent names: its HTTP tracker's when it has a port, the tracker grain's otherwise.</summary>
    public static string Announce(string swarm, SwarmParameters parameters) =>
        parameters.TrackerPort > 0 ? Tracker.HttpTracker.AnnounceUrlFor(parameters.TrackerPort) : $"orleans://tracker/{swarm}/announce";
}
