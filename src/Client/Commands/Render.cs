using P2POrleans.Common;
using P2POrleans.Web.Api;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>How results look on the console and in --json.</summary>
public static class Render
{
    /// <summary>`lookup --json`: the fields the page's trace has too (one definition, <see cref="LookupTrace"/>).</summary>
    public static LookupTrace LookupJson(IdSpace space, LookupResult r, string? keyText) => LookupTrace.Of(space, r, keyText);

    public static void Lookup(CliSession session, IdSpace space, LookupResult r, string? keyText) =>
        Lookup(session, space, r, keyText, LookupJson(space, r, keyText), () => PathTable(space, r), "owner");

    /// <summary>
    /// A traced lookup: with --json <paramref name="json"/>, else the protocol's path table and one line
    /// saying whom the lookup reached (<paramref name="reached"/>: "owner", "numerically closest peer").
    /// </summary>
    public static void Lookup(CliSession session, IdSpace space, LookupResult r, string? keyText, object json, Func<Table> path, string reached)
    {
        if (session.Json)
        {
            session.WriteJson(json);
            return;
        }

        session.Console.Write(path());
        var key = keyText is null ? space.Format(r.Key) : $"'{keyText}' (id {space.Format(r.Key)})";
        session.Console.MarkupLine(r.Success
            ? $"key {Markup.Escape(key)} -> {reached} [bold]{space.Format(r.Owner)}[/] in [bold]{r.Hops}[/] hops, {r.LatencyMs:F1} ms simulated, {r.Messages} messages"
            : $"[red]lookup of {Markup.Escape(key)} failed after {r.Hops} hops: {Markup.Escape(r.Error ?? "unknown")}[/]");
    }

    public static Table PathTable(IdSpace space, LookupResult r)
    {
        var table = new Table().AddColumns("hop", "peer", "rtt ms", "why");
        for (var i = 0; i < r.Path.Count; i++)
        {
            var h = r.Path[i];
            table.AddRow(i.ToString(), space.Format(h.Node), h.RttMs.ToString("F1"), h.Reason);
        }

        return table;
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("F1") + "%";
}
