using System.Globalization;

namespace P2POrleans.Client.Soak;

/// <summary>A churn rate per round: a number of peers ("5") or a share of the live peers ("10%").</summary>
public readonly record struct SoakRate(double Value, bool Percent)
{
    public const int MaxCount = 10_000;
    public const double MaxPercent = 50;

    /// <summary>Peers this round, for <paramref name="live"/> live peers (a share rounds to nearest, at least 1 if above 0).</summary>
    public int For(int live) => Percent ? (Value == 0 ? 0 : Math.Max(1, (int)Math.Round(live * Value / 100))) : (int)Value;

    public override string ToString() => Percent ? $"{Value.ToString(CultureInfo.InvariantCulture)}%" : ((int)Value).ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out SoakRate rate, out string error)
    {
        rate = default;
        error = "";
        var t = (text ?? "").Trim();
        if (t.EndsWith('%'))
        {
            if (double.TryParse(t[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= MaxPercent)
            {
                rate = new SoakRate(p, true);
                return true;
            }

            error = $"must be a share between 0% and {MaxPercent}% of the live peers (got '{text}')";
            return false;
        }

        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxCount)
        {
            rate = new SoakRate(n, false);
            return true;
        }

        error = $"must be a number of peers per round (0..{MaxCount}) or a share like 10% (got '{text}')";
        return false;
    }
}
