using System.Globalization;
using System.Text;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>Pastry ids as base-2^b digit strings, as the console and the page show them (section 2.1).</summary>
public static class PastryDigits
{
    /// <summary>The id's digits in base 2^b: one hex character per digit for b &lt;= 4, two for larger b.</summary>
    public static string Of(PastryParameters p, NodeId id)
    {
        ArgumentNullException.ThrowIfNull(p);
        var text = new StringBuilder(p.Rows * 2);
        for (var i = 0; i < p.Rows; i++)
        {
            var d = p.Space.Digit(id, i, p.DigitBits);
            text.Append(p.DigitBits <= 4 ? d.ToString("x", CultureInfo.InvariantCulture) : d.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Characters used by one digit in <see cref="Of"/>.</summary>
    public static int Width(PastryParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p.DigitBits <= 4 ? 1 : 2;
    }

    /// <summary>The digits <paramref name="node"/> shares with <paramref name="key"/> (at most the rows of the table).</summary>
    public static int Shared(PastryParameters p, NodeId node, NodeId key)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Math.Min(p.Space.SharedPrefixDigits(node, key, p.DigitBits), p.Rows);
    }
}
