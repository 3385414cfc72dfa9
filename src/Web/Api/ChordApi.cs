using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>Chord on the page: the ring (`chord ring`), a peer's fingers (`chord fingers`), lookups, puts and gets.</summary>
public sealed class ChordApi : KeyValueProtocolApi<IChordPeerGrain, IChordOverlayGrain>
{
    public override string Protocol => ChordParameters.Name;

    public override OverlayParameters Parameters(RequestBody body, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new ChordParameters
        {
            Bits = body.Int("bits", 1, NodeId.MaxBits) ?? 160,
            Successors = body.Int("successors", 1, 64) ?? 8,
            Replicas = body.Int("replicas", 1, 65) ?? 3,
            VirtualNodes = body.Int("vnodes", 1, 64) ?? 1,
            Mode = body.Choice("mode", "iterative", "recursive") == "recursive" ? ChordMode.Recursive : ChordMode.Iterative,
            Seed = body.Seed(),
        };
    }

    public override async Task<object> PeersAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var ring = await Overlay(overlay).RingAsync();
        var f = overlay.Space.Format;
        return new
        {
            bits = overlay.Space.Bits,
            peers = ring.Select(p => new
            {
                id = f(p.Id),
                pos = overlay.Position(p.Id),
                successor = p.Successors.Count > 0 ? f(p.Successors[0]) : null,
                predecessor = p.Predecessor is { } pr ? f(pr) : null,
                keys = p.Keys,
                primary_keys = p.PrimaryKeys,
            }).ToArray(),
        };
    }

    public override async Task<object> PeerAsync(OverlayContext overlay, string id)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var peer = await RequireMemberAsync(overlay, id, "id");
        var state = await overlay.Peer<IChordPeerGrain>(peer).GetStateAsync();
        var space = overlay.Space;
        var fingers = state.Fingers.Select((run, i) =>
        {
            var to = i + 1 < state.Fingers.Count ? state.Fingers[i + 1].From - 1 : space.Bits - 1;
            var start = space.AddPowerOfTwo(peer, run.From);
            return new { from = run.From + 1, to = to + 1, start = space.Format(start), start_pos = overlay.Position(start), node = space.Format(run.Node), pos = overlay.Position(run.Node) };
        }).ToArray();
        return new
        {
            id = space.Format(peer),
            pos = overlay.Position(peer),
            address = state.Address,
            predecessor = state.Predecessor is { } p ? space.Format(p) : null,
            successors = state.Successors.Select(s => new { id = space.Format(s), pos = overlay.Position(s) }).ToArray(),
            fingers,
            keys = state.Keys,
            primary_keys = state.PrimaryKeys,
            lookup_messages = state.LookupMessages,
            maintenance_messages = state.MaintenanceMessages,
            silo = state.Silo,
        };
    }

    public override async Task<object> SummaryAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return new { check = await Overlay(overlay).CheckAsync() };
    }

    protected override int PeersPerHost(OverlayParameters parameters) => ((ChordParameters)parameters).VirtualNodes;

    protected override object LookupJson(OverlayContext overlay, LookupResult r, string? keyText) => Traces.Lookup(overlay.Space, r, keyText);
}
