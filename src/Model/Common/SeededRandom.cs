namespace P2POrleans.Common;

/// <summary>
/// Every random choice derives from the overlay seed (docs/architecture.md section 5): a named stream per
/// purpose and per peer, so adding a new use of randomness does not shift the others.
/// </summary>
public static class SeededRandom
{
    public static Random Create(long seed, string stream) => new(DeriveSeed(seed, stream));

    public static Random Create(long seed, string stream, NodeId peer) =>
        new(DeriveSeed(seed ^ (long)peer.StableHash, stream));

    public static int DeriveSeed(long seed, string stream)
    {
        var h = Mix((ulong)seed ^ Fnv1a(stream));
        return (int)(h ^ (h >> 32)) & int.MaxValue;
    }

    /// <summary>SplitMix64 finaliser: a well-spread 64-bit mix.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Fnv1a(string text)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001b3UL;
        }

        return hash;
    }
}
