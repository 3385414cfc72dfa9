using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// Chord, Pastry and Kelips: peers with ids that join, leave gracefully or crash, as the console's
/// shared `join`, `leave` and `fail` commands drive them (IMemberPeer), through their overlay grain's
/// joins and choice of an initiator (<see cref="IStructuredOverlayGrain"/>).
/// </summary>
public abstract class MemberProtocolApi<TPeer, TOverlay> : ProtocolApi
    where TPeer : IMemberPeer
    where TOverlay : IStructuredOverlayGrain
{
    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup", "put", "get"];

    /// <summary>The overlay's whole-overlay grain.</summary>
    protected static TOverlay Overlay(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return overlay.Grains.GetGrain<TOverlay>(overlay.Name);
    }

    /// <summary>Peers one simulated host brings (Chord's virtual nodes), for the page's limit.</summary>
    protected virtual int PeersPerHost(OverlayParameters parameters) => 1;

    public override async Task<object> JoinAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var (count, idText) = CountOrId(body, overlay.Options.MaxPeers);
        var converged = body.Bool("converged") ?? false;
        IReadOnlyList<NodeId> joined;
        if (idText is not null)
        {
            if (converged)
            {
                throw new WebProblem("'id' joins one peer; it cannot be combined with 'converged'");
            }

            CheckRoom(overlay, 1);
            joined = [await Overlay(overlay).JoinIdAsync(overlay.ParseId(idText, "id"))];
        }
        else
        {
            var hosts = count ?? 1;
            CheckRoom(overlay, hosts * PeersPerHost(overlay.Parameters));
            joined = converged ? await Overlay(overlay).BuildConvergedAsync(hosts) : await Overlay(overlay).JoinHostsAsync(hosts);
        }

        return new { joined = joined.Take(100).Select(overlay.Space.Format).ToArray(), count = joined.Count };
    }

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
            : Victims(await overlay.Registry.GetMembersAsync(), count!.Value, body.Seed());
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
    private static NodeId? Preferred(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        return body.String("from", 80) is { } from ? overlay.ParseId(from, "from") : null;
    }

    /// <summary>The initiator of a lookup, put or get: 409 with no peers, 404 for a `from` that is not a member.</summary>
    protected async Task<NodeId> InitiatorAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        if (overlay.Info.Members == 0)
        {
            throw WebProblem.Conflict($"'{overlay.Name}' has no peers yet: join some first");
        }

        var preferred = Preferred(overlay, body);
        if (preferred is { } p && !await overlay.Peer<TPeer>(p).IsMemberAsync())
        {
            throw WebProblem.NotFound($"peer {overlay.Space.Format(p)} is not a member of '{overlay.Name}'");
        }

        return await Overlay(overlay).ResolveInitiatorAsync(preferred);
    }
}
