using System.Text.Json.Serialization;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>
/// A traced Pastry lookup as JSON: `pastry lookup --json` prints it (<see cref="Of"/>), with the digits
/// each hop shares with the key (prefix routing, section 2.2); the page also draws each hop's digits
/// and place on the ring (<see cref="Traces.PastryLookup"/>).
/// </summary>
public sealed record PastryLookupTrace : KeyLookupTrace
{
    private PastryLookupTrace(PastryParameters p, LookupResult r, string? keyText)
        : base(p.Space, r, keyText)
    {
        Digits = [.. r.Path.Select(h => PastryDigits.Shared(p, h.Node, r.Key))];
        Reasons = [.. r.Path.Select(h => h.Reason)];
    }

    /// <summary>How many digits each hop shares with the key.</summary>
    [JsonPropertyOrder(5)]
    public IReadOnlyList<int> Digits { get; init; }

    /// <summary>Why each hop was chosen (leaf set, routing table, ...).</summary>
    [JsonPropertyOrder(6)]
    public IReadOnlyList<string> Reasons { get; init; }

    /// <summary>The key in base 2^b digits (the page only).</summary>
    [JsonPropertyOrder(12)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyDigits { get; init; }

    /// <summary>Characters per digit in <see cref="KeyDigits"/> (the page only).</summary>
    [JsonPropertyOrder(14)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DigitWidth { get; init; }

    public static PastryLookupTrace Of(PastryParameters p, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(r);
        return new(p, r, keyText);
    }
}
