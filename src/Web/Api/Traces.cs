using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>The JSON the page draws a lookup from: what the API answers and what the demo pushes.</summary>
public static class Traces
{
    /// <summary>The JSON of `chord lookup --json` (and Kelips', Pastry's paths), with each hop's place on the ring.</summary>
    public static object Lookup(IdSpace space, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new
        {
            key = keyText,
            key_id = space.Format(r.Key),
            owner = r.Success ? space.Format(r.Owner) : null,
            hops = r.Hops,
            path = r.Path.Select(h => space.Format(h.Node)).ToArray(),
            latency_ms = Math.Round(r.LatencyMs, 3),
            messages = r.Messages,
            dead_hops_skipped = r.DeadHopsSkipped,
            success = r.Success,
            error = r.Error,
            key_pos = Ids.Position(space, r.Key),
            steps = r.Path.Select(h => new { id = space.Format(h.Node), pos = Ids.Position(space, h.Node), rtt_ms = Math.Round(h.RttMs, 3), reason = h.Reason }).ToArray(),
        };
    }

    /// <summary>`pastry lookup --json` with each hop's digits and the digits it shares with the key.</summary>
    public static object PastryLookup(PastryParameters parameters, LookupResult r, string? keyText) => PastryApi.LookupJson(parameters, r, keyText);

    /// <summary>`kelips lookup --json` with each hop's affinity group.</summary>
    public static object KelipsLookup(KelipsParameters parameters, KelipsLookupResult r) => KelipsApi.LookupJson(parameters, r);
}
