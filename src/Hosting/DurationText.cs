using System.Globalization;

namespace P2POrleans.Hosting;

/// <summary>Durations as options take them: "500ms", "2s", "1.5s", "2m", or a plain number of seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().ToLowerInvariant();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value * unit > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }

    /// <summary>"0.25 s", "2.0 s", "11.6 s", "2.5 min".</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0##} s")
        : duration.TotalSeconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.##} min");
}
