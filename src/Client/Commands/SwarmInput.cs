using System.Globalization;

namespace P2POrleans.Client.Commands;

/// <summary>Parses the sizes, rates and percentages of the swarm commands; bad input is a <see cref="CliException"/>.</summary>
public static class SwarmInput
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30),
        ("B", 1),
    ];

    /// <summary>"100MB" (10^6), "256KiB" (2^10), "4M" (2^20), "1048576" (bytes).</summary>
    public static long Bytes(string text, string option)
    {
        var t = text.Trim();
        var factor = 1L;
        foreach (var (suffix, f) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = f;
                t = t[..^suffix.Length].Trim();
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value <= 0 || value * factor > long.MaxValue / 2)
        {
            throw new CliException($"{option}: '{text}' is not a size (e.g. 100MB, 256KiB, 4MiB, 65536)");
        }

        return (long)Math.Round(value * factor);
    }

    /// <summary>"10%" or "10" (percent) to a fraction in 0..1.</summary>
    public static double Percent(string text, string option)
    {
        var t = text.Trim().TrimEnd('%').Trim();
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < 0 || value > 100)
        {
            throw new CliException($"{option}: '{text}' is not a percentage between 0% and 100%");
        }

        return value / 100;
    }

    public static string FormatBytes(double bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (1L << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (1L << 20)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (1L << 10)).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString("F0", CultureInfo.InvariantCulture) + " B",
    };
}
