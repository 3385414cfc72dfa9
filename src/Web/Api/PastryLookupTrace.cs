using System.Text.Json.Serialization;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>
/// A traced Pastry lookup as JSON: `pastry lookup --json` prints it (<see cref="Of"/>), with the digits
/// each hop shares with the key (prefix routing, section 2.2); the page also draws each hop's digits
/// and place on the ring (<see cref="Traces.PastryLookup"/>).
/// </summary>
public sealed record PastryLookupTrace(
    string? Key,
    string KeyId,
    string? Owner,
    int Hops,
    IReadOnlyList<string> Path,
    IReadOnlyList<int> Digits,
    IReadOnlyList<string> Reasons,
    double LatencyMs,
    int Messages,
    int DeadHopsSkipped,
    bool Success,
    string? Error)
{
    /// <summary>The key in base 2^b digits (the page only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyDigits { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? KeyPos { get; init; }

    /// <summary>Characters per digit in <see cref="KeyDigits"/> (the page only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DigitWidth { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<object>? Steps { get; init; }

    public static PastryLookupTrace Of(PastryParameters p, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(r);
        return new(
            keyText,
            p.Space.Format(r.Key),
            r.Success ? p.Space.Format(r.Owner) : null,
            r.Hops,
            [.. r.Path.Select(h => p.Space.Format(h.Node))],
            [.. r.Path.Select(h => PastryDigits.Shared(p, h.Node, r.Key))],
            [.. r.Path.Select(h => h.Reason)],
            Math.Round(r.LatencyMs, 3),
            r.Messages,
            r.DeadHopsSkipped,
            r.Success,
            r.Error);
    }
}
