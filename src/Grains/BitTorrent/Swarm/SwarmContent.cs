namespace P2POrleans.BitTorrent.Swarm;

/// <summary>The generated file of a swarm: pseudo-random bytes from the seed, the same for a seed on every machine.</summary>
public static class SwarmContent
{
    private const int StateLength = 56;
    private const int Seed0 = 161_803_398;

    /// <summary>
    /// The bytes <c>new Random(DeriveSeed(seed, "bt-content")).NextBytes</c> gives (the content every swarm so far
    /// was made of: the torrent's piece hashes, and so its info hash and the tracker's answers, depend on it),
    /// written by <see cref="Fill"/> without the per-byte field and bounds work of Random's own loop (which took
    /// 0.27 s of creating a 100 MB swarm).
    /// </summary>
    public static byte[] Generate(long seed, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        Fill(P2POrleans.Common.SeededRandom.DeriveSeed(seed, "bt-content"), bytes);
        return bytes;
    }

    /// <summary>
    /// Fills <paramref name="bytes"/> as <c>new Random(seed).NextBytes</c> does: Knuth's subtractive generator
    /// (The Art of Computer Programming, vol. 2, 3.6; the seeded <see cref="Random"/> of .NET), one 31-bit sample
    /// per byte, its low 8 bits kept. The state lives on the stack and the sign fix-up is branch-free: a negative
    /// difference comes up for half the samples, unpredictably.
    /// </summary>
    public static void Fill(int seed, Span<byte> bytes)
    {
        Span<int> state = stackalloc int[StateLength];
        var mj = Seed0 - (seed == int.MinValue ? int.MaxValue : Math.Abs(seed));
        state[55] = mj;
        var mk = 1;
        var ii = 0;
        for (var i = 1; i < 55; i++)
        {
            ii += 21;
            if (ii >= 55)
            {
                ii -= 55;
            }

            state[ii] = mk;
            mk = mj - mk;
            if (mk < 0)
            {
                mk += int.MaxValue;
            }

            mj = state[ii];
        }

        for (var k = 1; k < 5; k++)
        {
            for (var i = 1; i < StateLength; i++)
            {
                var n = i + 30;
                if (n >= 55)
                {
                    n -= 55;
                }

                state[i] -= state[1 + n];
                if (state[i] < 0)
                {
                    state[i] += int.MaxValue;
                }
            }
        }

        var next = 0;
        var nextp = 21;
        for (var b = 0; b < bytes.Length; b++)
        {
            if (++next >= StateLength)
            {
                next = 1;
            }

            if (++nextp >= StateLength)
            {
                nextp = 1;
            }

            var sample = state[next] - state[nextp];
            if (sample == int.MaxValue)
            {
                sample--;
            }

            sample += (sample >> 31) & int.MaxValue; // + int.MaxValue when negative, without a branch (half the samples are)

            state[next] = sample;
            bytes[b] = (byte)sample;
        }
    }

    /// <summary>The announce URL a swarm's torrent names: its HTTP tracker's when it has a port, the tracker grain's otherwise.</summary>
    public static string Announce(string swarm, SwarmParameters parameters) =>
        parameters.TrackerPort > 0 ? Tracker.HttpTracker.AnnounceUrlFor(parameters.TrackerPort) : $"orleans://tracker/{swarm}/announce";
}
