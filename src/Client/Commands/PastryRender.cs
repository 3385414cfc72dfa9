using System.Text;
using P2POrleans.Common;
using P2POrleans.Pastry;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>Pastry output: ids as base-2^b digit strings, with the digits each hop shares with the key (prefix routing, section 2.2).</summary>
public static class PastryRender
{
    /// <summary>The id's digits in base 2^b: one hex character per digit for b &lt;= 4, two for larger b.</summary>
    public static string Digits(PastryParameters p, NodeId id)
    {
        var space = p.Space;
        var count = space.DigitCount(p.DigitBits);
        var text = new StringBuilder(count * 2);
        for (var i = 0; i < count; i++)
        {
            var d = space.Digit(id, i, p.DigitBits);
            text.Append(p.DigitBits <= 4 ? d.ToString("x") : d.ToString("x2"));
        }

        return text.ToString();
    }

    /// <summary>Characters used by one digit in <see cref="Digits"/>.</summary>
    public static int DigitWidth(PastryParameters p) => p.DigitBits <= 4 ? 1 : 2;

    public static int SharedDigits(PastryParameters p, NodeId node, NodeId key) =>
        Math.Min(p.Space.SharedPrefixDigits(node, key, p.DigitBits), p.Rows);

    public static object LookupJson(PastryParameters p, LookupResult r, string? keyText) => new
    {
        key = keyText,
        key_id = p.Space.Format(r.Key),
        owner = r.Success ? p.Space.Format(r.Owner) : null,
        hops = r.Hops,
        path = r.Path.Select(h => p.Space.Format(h.Node)).ToArray(),
        digits = r.Path.Select(h => SharedDigits(p, h.Node, r.Key)).ToArray(),
        reasons = r.Path.Select(h => h.Reason).ToArray(),
        latency_ms = Math.Round(r.LatencyMs, 3),
        messages = r.Messages,
        dead_hops_skipped = r.DeadHopsSkipped,
        success = r.Success,
        error = r.Error,
    };

    public static void Lookup(CliSession session, PastryParameters p, LookupResult r, string? keyText)
    {
        if (session.Json)
        {
            session.WriteJson(LookupJson(p, r, keyText));
            return;
        }

        session.Console.Write(PathTable(p, r));
        var key = keyText is null ? p.Space.Format(r.Key) : $"'{keyText}' (id {p.Space.Format(r.Key)})";
        session.Console.MarkupLine(r.Success
            ? $"key {Markup.Escape(key)} -> numerically closest peer [bold]{p.Space.Format(r.Owner)}[/] in [bold]{r.Hops}[/] hops, {r.LatencyMs:F1} ms simulated, {r.Messages} messages"
            : $"[red]lookup of {Markup.Escape(key)} failed after {r.Hops} hops: {Markup.Escape(r.Error ?? "unknown")}[/]");
    }

    /// <summary>One row per hop: the peer's digits with the prefix it shares with the key in green.</summary>
    public static Table PathTable(PastryParameters p, LookupResult r)
    {
        var table = new Table().AddColumns("hop", $"peer (base {p.Columns} digits)", "digits shared", "rtt ms", "why");
        table.AddRow("key", Markup.Escape(Digits(p, r.Key)), "", "", "");
        for (var i = 0; i < r.Path.Count; i++)
        {
            var h = r.Path[i];
            table.AddRow(i.ToString(), Highlight(p, h.Node, r.Key), SharedDigits(p, h.Node, r.Key).ToString(), h.RttMs.ToString("F1"), h.Reason);
        }

        return table;
    }

    public static string Highlight(PastryParameters p, NodeId node, NodeId key)
    {
        var digits = Digits(p, node);
        var shared = Math.Min(digits.Length, SharedDigits(p, node, key) * DigitWidth(p));
        return $"[green]{digits[..shared]}[/]{digits[shared..]}";
    }
}
