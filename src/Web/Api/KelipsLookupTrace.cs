using System.Text.Json.Serialization;
using P2POrleans.Kelips;

namespace P2POrleans.Web.Api;

/// <summary>
/// A Kelips lookup and its fetch as JSON: `kelips lookup --json` prints it (<see cref="Of"/>); the page
/// also draws each hop's affinity group (<see cref="Traces.KelipsLookup"/>).
/// </summary>
public sealed record KelipsLookupTrace(
    string File,
    int Group,
    string? Owner,
    string? Home,
    int PathLength,
    int Hops,
    IReadOnlyList<string> Path,
    IReadOnlyList<string> Reasons,
    double LatencyMs,
    double FetchRttMs,
    double TotalLatencyMs,
    int Messages,
    int DeadHopsSkipped,
    bool Success,
    bool Fetched,
    string? Content,
    string? Error)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<object>? Steps { get; init; }

    public static KelipsLookupTrace Of(KelipsParameters parameters, KelipsLookupResult r)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(r);
        var space = parameters.Space;
        var owner = r.Lookup.Success ? space.Format(r.Lookup.Owner) : null;
        return new(
            r.FileName,
            r.FileGroup,
            owner,
            owner,
            r.PathLength,
            r.Lookup.Hops,
            [.. r.Lookup.Path.Select(h => space.Format(h.Node))],
            [.. r.Lookup.Path.Select(h => h.Reason)],
            Math.Round(r.Lookup.LatencyMs, 3),
            Math.Round(r.FetchRttMs, 3),
            Math.Round(r.TotalLatencyMs, 3),
            r.Lookup.Messages,
            r.Lookup.DeadHopsSkipped,
            r.Lookup.Success,
            r.Fetched,
            r.Content,
            r.Lookup.Error);
    }
}
