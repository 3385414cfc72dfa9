using System.Globalization;

namespace P2POrleans.Common;

/// <summary>
/// The range check the parameters records make of their whole-number settings, worded one way for every
/// protocol: "NAME must be between MIN and MAX[UNIT][, or 0 ZERO] (got VALUE)".
/// </summary>
public static class ParameterRange
{
    /// <summary>
    /// The problem with <paramref name="value"/>, or null when it lies in [<paramref name="min"/>, <paramref name="max"/>]
    /// (or is 0 where <paramref name="zero"/> says what 0 means).
    /// </summary>
    public static string? Check(string name, long value, long min, long max, string unit = "", string? zero = null) =>
        (value >= min && value <= max) || (zero is not null && value == 0)
            ? null
            : $"{name} must be between {min.ToString("N0", CultureInfo.InvariantCulture)} and {max.ToString("N0", CultureInfo.InvariantCulture)}{unit}{(zero is null ? "" : $", or 0 {zero}")} (got {value})";

    /// <summary>The problems among <paramref name="checks"/> (null: that check passed), in order.</summary>
    public static IEnumerable<string> Problems(params string?[] checks) => checks.OfType<string>();
}
