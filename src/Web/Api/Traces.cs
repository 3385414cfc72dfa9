using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>
/// The JSON the page draws a lookup from: what the API answers and what the demo pushes. The console's
/// `lookup --json` of the same protocol, plus each hop's place on the ring (and digits or group).
/// </summary>
public static class Traces
{
    /// <summary>`chord lookup --json` with each hop's place on the ring.</summary>
    public static LookupTrace Lookup(IdSpace space, LookupResult r, string? keyText) =>
        LookupTrace.Of(space, r, keyText) with
        {
            KeyPos = Ids.Position(space, r.Key),
            Steps = [.. r.Path.Select(h => new { id = space.Format(h.Node), pos = Ids.Position(space, h.Node), rtt_ms = Math.Round(h.RttMs, 3), reason = h.Reason })],
        };

    /// <summary>`pastry lookup --json` with each hop's digits, the digits it shares with the key and its place on the ring.</summary>
    public static PastryLookupTrace PastryLookup(PastryParameters p, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(r);
        return PastryLookupTrace.Of(p, r, keyText) with
        {
            KeyDigits = PastryDigits.Of(p, r.Key),
            KeyPos = Ids.Position(p.Space, r.Key),
            DigitWidth = PastryDigits.Width(p),
            Steps = [.. r.Path.Select(h => new { id = p.Space.Format(h.Node), pos = Ids.Position(p.Space, h.Node), digits = PastryDigits.Of(p, h.Node), shared = PastryDigits.Shared(p, h.Node, r.Key), rtt_ms = Math.Round(h.RttMs, 3), reason = h.Reason })],
        };
    }

    /// <summary>`kelips lookup --json` with each hop's affinity group.</summary>
    public static KelipsLookupTrace KelipsLookup(KelipsParameters parameters, KelipsLookupResult r)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(r);
        var k = parameters.GroupCount;
        return KelipsLookupTrace.Of(parameters, r) with
        {
            Steps = [.. r.Lookup.Path.Select(h => new { id = parameters.Space.Format(h.Node), group = Ids.Mod(h.Node, k), rtt_ms = Math.Round(h.RttMs, 3), reason = h.Reason })],
        };
    }
}
