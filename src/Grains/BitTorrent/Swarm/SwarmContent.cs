using System.Numerics;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>The generated file of a swarm: pseudo-random bytes from the seed, the same for a seed on every machine.</summary>
public static class SwarmContent
{
    private const int StateLength = 56;
    private const int Seed0 = 161_803_398;

    /// <summary>Sample n is x[n - Lag] - x[n - ShortLag].</summary>
    private const int Lag = 55;
    private const int ShortLag = 34;

    /// <summary>Samples computed per pass, before their low bytes are written out.</summary>
    private const int Chunk = 4096;

    /// <summary>From this length on, <see cref="Generate"/> writes the two halves at once (see there).</summary>
    public const int ParallelFrom = 8 << 20;

    /// <summary>
    /// The bytes <c>new Random(DeriveSeed(seed, "bt-content")).NextBytes</c> gives (the content every swarm so far
    /// was made of: the torrent's piece hashes, and so its info hash and the tracker's answers, depend on it),
    /// written by <see cref="Fill"/> without the per-byte field and bounds work of Random's own loop (which took
    /// 0.27 s of creating a 100 MB swarm).
    /// </summary>
    /// <remarks>
    /// A large file is written as two halves at once, the second from the generator's state at the midpoint
    /// (reached by running the generator over the first half without writing it out: 16 ms for 50 MB). The
    /// samples cost little; first writes to fresh memory cost the page faults, 250-430 ms for 100 MB on this
    /// tool's test machine, and two cores take them side by side.
    /// </remarks>
    public static byte[] Generate(long seed, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        var row = Start(P2POrleans.Common.SeededRandom.DeriveSeed(seed, "bt-content"));
        if (length < ParallelFrom || Environment.ProcessorCount < 2)
        {
            Write(row, bytes);
            return bytes;
        }

        var half = bytes.Length / 2 / Chunk * Chunk;
        var second = (int[])row.Clone();
        Parallel.Invoke(
            new ParallelOptions { TaskScheduler = TaskScheduler.Default }, // not a grain's own scheduler, which runs one thing at a time
            () => Write(row, bytes.AsSpan(0, half)),
            () =>
            {
                Skip(second, half);
                Write(second, bytes.AsSpan(half));
            });
        return bytes;
    }

    /// <summary>
    /// Fills <paramref name="bytes"/> as <c>new Random(seed).NextBytes</c> does: Knuth's subtractive generator
    /// (The Art of Computer Programming, vol. 2, 3.6; the seeded <see cref="Random"/> of .NET), one 31-bit sample
    /// per byte, its low 8 bits kept. Random keeps 55 numbers in a ring; laid out in a row, sample n is
    /// x[n - 55] - x[n - 34] (plus int.MaxValue when negative), so any 34 consecutive samples depend only on
    /// earlier ones and a vector of them is computed at once (100 MB in 32 ms into memory already touched).
    /// </summary>
    public static void Fill(int seed, Span<byte> bytes) => Write(Start(seed), bytes);

    /// <summary>Random's seeding of its ring (in its own words), laid out as the start of a row with room for a chunk.</summary>
    private static int[] Start(int seed)
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

        // Random's first sample replaces ring slot 1 using slot 22: in a row, x[0..54] are slots 1..55.
        var row = new int[Lag + Chunk];
        state[1..].CopyTo(row);
        return row;
    }

    /// <summary>The next bytes.Length samples' low bytes; <paramref name="row"/> then holds the state after them.</summary>
    private static void Write(int[] row, Span<byte> bytes)
    {
        for (var done = 0; done < bytes.Length; done += Chunk)
        {
            var count = Math.Min(Chunk, bytes.Length - done);
            Next(row, count);
            Low8(row.AsSpan(Lag, count), bytes.Slice(done, count));
            row.AsSpan(Chunk, Lag).CopyTo(row); // the last 55 samples start the next chunk's row
        }
    }

    /// <summary>Advances the row past <paramref name="count"/> samples (a whole number of chunks) without writing them.</summary>
    private static void Skip(int[] row, int count)
    {
        for (var done = 0; done < count; done += Chunk)
        {
            Next(row, Chunk);
            row.AsSpan(Chunk, Lag).CopyTo(row);
        }
    }

    /// <summary>row[55..55 + count) from the 55 samples before them (rounded up to whole vectors; row has room for a chunk).</summary>
    private static void Next(int[] row, int count)
    {
        var max = new Vector<int>(int.MaxValue);
        var n = Lag;
        if (Vector.IsHardwareAccelerated && Vector<int>.Count <= ShortLag)
        {
            for (; n + Vector<int>.Count <= Lag + count; n += Vector<int>.Count)
            {
                var sample = new Vector<int>(row, n - Lag) - new Vector<int>(row, n - ShortLag);
                sample += Vector.Equals(sample, max); // int.MaxValue becomes int.MaxValue - 1, as in Random (the mask is -1)
                sample += Vector.ShiftRightArithmetic(sample, 31) & max; // + int.MaxValue when negative
                sample.CopyTo(row, n);
            }
        }

        for (; n < Lag + count; n++)
        {
            var sample = row[n - Lag] - row[n - ShortLag];
            if (sample == int.MaxValue)
            {
                sample--;
            }

            sample += (sample >> 31) & int.MaxValue;
            row[n] = sample;
        }
    }

    /// <summary>The low 8 bits of each sample.</summary>
    private static void Low8(ReadOnlySpan<int> samples, Span<byte> bytes)
    {
        var b = 0;
        var width = 4 * Vector<int>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; b + width <= bytes.Length; b += width)
            {
                var s = samples.Slice(b, width);
                var low = Vector.Narrow(new Vector<int>(s), new Vector<int>(s[Vector<int>.Count..]));
                var high = Vector.Narrow(new Vector<int>(s[(2 * Vector<int>.Count)..]), new Vector<int>(s[(3 * Vector<int>.Count)..]));
                Vector.AsVectorByte(Vector.Narrow(low, high)).CopyTo(bytes[b..]);
            }
        }

        for (; b < bytes.Length; b++)
        {
            bytes[b] = (byte)samples[b];
        }
    }

    /// <summary>The announce URL a swarm's torrent names: its HTTP tracker's when it has a port, the tracker grain's otherwise.</summary>
    public static string Announce(string swarm, SwarmParameters parameters) =>
        parameters.TrackerPort > 0 ? Tracker.HttpTracker.AnnounceUrlFor(parameters.TrackerPort) : $"orleans://tracker/{swarm}/announce";
}
