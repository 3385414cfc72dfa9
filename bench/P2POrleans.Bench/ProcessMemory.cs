namespace P2POrleans.Bench;

/// <summary>The process's resident set from /proc/self (Linux): the peak (VmHWM) and a way to reset it.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident bytes since start or the last reset; null where /proc is not there.</summary>
    public static long? PeakResidentBytes() => StatusKiB("VmHWM:") * 1024;

    /// <summary>
    /// Resets the peak to the current resident set (writing 5 to /proc/self/clear_refs, Linux 4.0+) and
    /// returns the current resident bytes; null where that is not possible.
    /// </summary>
    public static long? ResetPeakResidentBytes()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return StatusKiB("VmRSS:") * 1024;
    }

    private static long? StatusKiB(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
