using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// Chord, Pastry and Kelips: peers with ids that join, leave gracefully or crash, as the console's
/// shared `leave` and `fail` commands drive them (IMemberPeer).
/// </summary>
public abstract class MemberProtocolApi<TPeer> : ProtocolApi
    where TPeer : IMemberPeer
{
    public override async Task<object> FailAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var (count, idText) = CountOrId(body, overlay.Options.MaxPeers);
        if (count is null && idText is null)
        {
            throw new WebProblem("give 'count' (peers to crash) or 'id' (one peer)");
        }

        var victims = idText is not null
            ? [await RequireMemberAsync(overlay, idText, "id")]
            : Victims(await overlay.Registry.GetMembersAsync(), count!.Value, body.Long("seed", long.MinValue, long.MaxValue) ?? 1);
        foreach (var victim in victims)
        {
            await overlay.Peer<TPeer>(victim).FailAsync();
        }

        return new { failed = victims.Select(overlay.Space.Format).ToArray() };
    }

    public override async Task<object> LeaveAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var idText = body.String("id", 80) ?? throw new WebProblem("give the 'id' of the peer that leaves");
        var peer = await RequireMemberAsync(overlay, idText, "id");
        await overlay.Peer<TPeer>(peer).LeaveAsync();
        return new { left = overlay.Space.Format(peer) };
    }

    /// <summary>A member's id, or 400 (malformed) / 404 (not a member).</summary>
    protected static async Task<NodeId> RequireMemberAsync(OverlayContext overlay, string text, string field)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var id = overlay.ParseId(text, field);
        return await overlay.Peer<TPeer>(id).IsMemberAsync()
            ? id
            : throw WebProblem.NotFound($"peer {overlay.Space.Format(id)} is not a member of '{overlay.Name}'");
    }

    /// <summary>The initiator: the given member, or one the overlay picks (as the console's --from does).</summary>
    protected static NodeId? Preferred(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        return body.String("from", 80) is { } from ? overlay.ParseId(from, "from") : null;
    }

    /// <summary>The lookup JSON of `chord lookup --json` and friends, with each hop's place on the ring.</summary>
    protected static object LookupJson(OverlayContext overlay, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return Traces.Lookup(overlay.Space, r, keyText);
    }
}
