using System.Globalization;
using P2POrleans.Client.Structured;

namespace P2POrleans.Client.Bench;

/// <summary>
/// How many peers of an overlay fit in this machine's free memory when the silo runs in this
/// process (docs/bench.md, sizes): each overlay estimates its peak resident bytes per peer from
/// measured runs (<see cref="IStructuredAdapter.EstimatedBytesPerPeer"/>), plus what the process holds
/// without any overlay. A size beyond that is refused before anything is built, with one line that
/// says how much it needs and the largest size that fits, instead of a silo the kernel kills.
/// </summary>
public static class BenchMemory
{
    /// <summary>The process without any overlay: runtime, silo, client, baseline grains.</summary>
    public const long ProcessBytes = 512L * 1024 * 1024;

    /// <summary>Peak bytes the process needs for <paramref name="peers"/> peers of the overlay.</summary>
    public static long Needed(IStructuredAdapter overlay, int peers)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return ProcessBytes + (long)(overlay.EstimatedBytesPerPeer(peers) * peers);
    }

    /// <summary>The largest size (a multiple of 1,000, at least <see cref="BenchOptions.MinPeers"/>) whose need fits in <paramref name="available"/>, or 0.</summary>
    public static int Largest(IStructuredAdapter overlay, long available)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        if (Needed(overlay, BenchOptions.MinPeers) > available)
        {
            return 0;
        }

        int lo = BenchOptions.MinPeers, hi = BenchOptions.MaxPeers;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (Needed(overlay, mid) <= available)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo >= 1_000 ? lo / 1_000 * 1_000 : lo;
    }

    /// <summary>The one-line refusal for a size that does not fit, or null when it does.</summary>
    public static string? Problem(IStructuredAdapter overlay, int peers, long available)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var needed = Needed(overlay, peers);
        if (needed <= available)
        {
            return null;
        }

        var largest = Largest(overlay, available);
        var fits = largest > 0 ? $"the largest {overlay.Protocol} size that fits is {largest.ToString("N0", CultureInfo.InvariantCulture)}" : "no size fits";
        return $"--sizes: {peers.ToString("N0", CultureInfo.InvariantCulture)} {overlay.Protocol} peers need about {Gb(needed)} of memory "
            + $"but {Gb(available)} is free; {fits}";
    }

    /// <summary>
    /// Memory free for this process now: the kernel's estimate of what can be allocated without
    /// swapping (MemAvailable) where there is one, otherwise what the runtime may use minus what it holds.
    /// </summary>
    public static long Available()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    return Math.Min(kb * 1024, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet);
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture) + " GB";
}
