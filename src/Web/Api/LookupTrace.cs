using System.Text.Json.Serialization;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// A traced lookup as JSON: `chord lookup --json` prints it (<see cref="Of"/>), the page draws it with
/// each hop's place on the ring (<see cref="Traces.Lookup"/> adds <see cref="KeyPos"/> and <see cref="Steps"/>).
/// One definition, so the console and the page never disagree on a field.
/// </summary>
public sealed record LookupTrace(
    string? Key,
    string KeyId,
    string? Owner,
    int Hops,
    IReadOnlyList<string> Path,
    double LatencyMs,
    int Messages,
    int DeadHopsSkipped,
    bool Success,
    string? Error)
{
    /// <summary>The key's place on the ring in turns (the page only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? KeyPos { get; init; }

    /// <summary>Each hop with its place on the ring, RTT and reason (the page only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<object>? Steps { get; init; }

    public static LookupTrace Of(IdSpace space, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            keyText,
            space.Format(r.Key),
            r.Success ? space.Format(r.Owner) : null,
            r.Hops,
            [.. r.Path.Select(h => space.Format(h.Node))],
            Math.Round(r.LatencyMs, 3),
            r.Messages,
            r.DeadHopsSkipped,
            r.Success,
            r.Error);
    }
}
