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
}
