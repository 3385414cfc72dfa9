using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Web.Api;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>Pastry output: ids as base-2^b digit strings, with the digits each hop shares with the key (prefix routing, section 2.2).</summary>
public static class PastryRender
{
    /// <summary>The id's digits in base 2^b: one hex character per digit for b &lt;= 4, two for larger b.</summary>
    public static string Digits(PastryParameters p, NodeId id) => PastryDigits.Of(p, id);

    /// <summary>`pastry lookup --json`: the fields the page's trace has too (one definition, <see cref="PastryLookupTrace"/>).</summary>
    public static PastryLookupTrace LookupJson(PastryParameters p, LookupResult r, string? keyText) => PastryLookupTrace.Of(p, r, keyText);

    public static void Lookup(CliSession session, PastryParameters p, LookupResult r, string? keyText) =>
        Render.Lookup(session, p.Space, r, keyText, LookupJson(p, r, keyText), () => PathTable(p, r), "numerically closest peer");

    /// <summary>One row per hop: the peer's digits with the prefix it shares with the key in green.</summary>
    public static Table PathTable(PastryParameters p, LookupResult r)
    {
        var table = new Table().AddColumns("hop", $"peer (base {p.Columns} digits)", "digits shared", "rtt ms", "why");
        table.AddRow("key", Markup.Escape(Digits(p, r.Key)), "", "", "");
        for (var i = 0; i < r.Path.Count; i++)
        {
            var h = r.Path[i];
            table.AddRow(i.ToString(), Highlight(p, h.Node, r.Key), PastryDigits.Shared(p, h.Node, r.Key).ToString(), h.RttMs.ToString("F1"), h.Reason);
        }

        return table;
    }

    public static string Highlight(PastryParameters p, NodeId node, NodeId key)
    {
        var digits = Digits(p, node);
        var shared = Math.Min(digits.Length, PastryDigits.Shared(p, node, key) * PastryDigits.Width(p));
        return $"[green]{digits[..shared]}[/]{digits[shared..]}";
    }
}
