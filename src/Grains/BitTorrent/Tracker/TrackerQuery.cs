using System.Text;

namespace P2POrleans.BitTorrent.Tracker;

/// <summary>
/// The query string of a BEP 3 tracker request, percent-decoded to bytes (info_hash and peer_id are
/// raw 20-byte strings, so they cannot go through a text decoder), and built the same way.
/// </summary>
public static class TrackerQuery
{
    /// <summary>Parses "a=1&amp;b=%20x"; null when a percent escape is malformed.</summary>
    public static Dictionary<string, byte[]>? Parse(string query)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = Decode(eq < 0 ? "" : pair[(eq + 1)..]);
            if (key is null || value is null)
            {
                return null;
            }

            result[Encoding.Latin1.GetString(key)] = value;
        }

        return result;
    }

    /// <summary>Percent-encodes bytes: unreserved characters as they are, everything else as %XX.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static byte[]? Decode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    return null;
                }

                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return [.. bytes];
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
