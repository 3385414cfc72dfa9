using System.Text.Json.Serialization;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// What a traced key lookup of Chord or Pastry writes as JSON, for `lookup --json` and the page alike
/// (<see cref="LookupTrace"/>, <see cref="PastryLookupTrace"/>). Every field carries its place in the
/// object: System.Text.Json would write a derived record's own fields first, and the console's output
/// and the web API's answers keep the order they always had (LookupTraceJsonTests); Pastry's fields
/// fill the gaps (5, 6, 12, 14).
/// </summary>
public abstract record KeyLookupTrace
{
    protected KeyLookupTrace(IdSpace space, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(r);
        Key = keyText;
        KeyId = space.Format(r.Key);
        Owner = r.Success ? space.Format(r.Owner) : null;
        Hops = r.Hops;
        Path = [.. r.Path.Select(h => space.Format(h.Node))];
        LatencyMs = Math.Round(r.LatencyMs, 3);
        Messages = r.Messages;
        DeadHopsSkipped = r.DeadHopsSkipped;
        Success = r.Success;
        Error = r.Error;
    }

    /// <summary>The key as the user typed it (null when looked up by id).</summary>
    [JsonPropertyOrder(0)]
    public string? Key { get; init; }

    [JsonPropertyOrder(1)]
    public string KeyId { get; init; }

    [JsonPropertyOrder(2)]
    public string? Owner { get; init; }

    [JsonPropertyOrder(3)]
    public int Hops { get; init; }

    [JsonPropertyOrder(4)]
    public IReadOnlyList<string> Path { get; init; }

    [JsonPropertyOrder(7)]
    public double LatencyMs { get; init; }

    [JsonPropertyOrder(8)]
    public int Messages { get; init; }

    [JsonPropertyOrder(9)]
    public int DeadHopsSkipped { get; init; }

    [JsonPropertyOrder(10)]
    public bool Success { get; init; }

    [JsonPropertyOrder(11)]
    public string? Error { get; init; }

    /// <summary>The key's place on the ring in turns (the page only).</summary>
    [JsonPropertyOrder(13)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? KeyPos { get; init; }

    /// <summary>Each hop with its place on the ring, RTT and reason (the page only).</summary>
    [JsonPropertyOrder(15)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<object>? Steps { get; init; }
}
