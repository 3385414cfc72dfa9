using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>Chord on the page: the ring (`chord ring`), a peer's fingers (`chord fingers`), lookups, puts and gets.</summary>
public sealed class ChordApi : MemberProtocolApi<IChordPeerGrain>
{
    public override string Protocol => ChordParameters.Name;

    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup", "put", "get"];

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
            Seed = body.Long("seed", long.MinValue, long.MaxValue) ?? 1,
        };
    }

    public override async Task<object> PeersAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var ring = await overlay.Grains.GetGrain<IChordOverlayGrain>(overlay.Name).RingAsync();
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

    public override async Task<object> JoinAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var (count, idText) = CountOrId(body, overlay.Options.MaxPeers);
        var converged = body.Bool("converged") ?? false;
        var control = overlay.Grains.GetGrain<IChordOverlayGrain>(overlay.Name);
        IReadOnlyList<NodeId> joined;
        if (idText is not null)
        {
            if (converged)
            {
                throw new WebProblem("'id' joins one peer; it cannot be combined with 'converged'");
            }

            CheckRoom(overlay, 1);
            joined = [await control.JoinIdAsync(overlay.ParseId(idText, "id"))];
        }
        else
        {
            var hosts = count ?? 1;
            CheckRoom(overlay, hosts * ((ChordParameters)overlay.Parameters).VirtualNodes);
            joined = converged ? await control.BuildConvergedAsync(hosts) : await control.JoinHostsAsync(hosts);
        }

        return new { joined = joined.Take(100).Select(overlay.Space.Format).ToArray(), count = joined.Count };
    }

    public override async Task<object> LookupAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var keyText = body.String("key", 1024);
        var idText = body.String("key_id", 80);
        if ((keyText is null) == (idText is null))
        {
            throw new WebProblem("give a 'key' string or a 'key_id', not both");
        }

        var key = idText is not null ? overlay.ParseId(idText, "key_id") : overlay.Space.Hash(keyText!);
        var initiator = await InitiatorAsync(overlay, body);
        var result = await overlay.Peer<IChordPeerGrain>(initiator).LookupAsync(key, keyText);
        return LookupJson(overlay, result, keyText);
    }

    public override async Task<object> PutAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var key = body.String("key", 1024) ?? throw new WebProblem("give the 'key'");
        var value = body.String("value", 64 * 1024) ?? throw new WebProblem("give the 'value'");
        var initiator = await InitiatorAsync(overlay, body);
        var result = await overlay.Peer<IChordPeerGrain>(initiator).PutAsync(key, value);
        return new { stored_at = result.StoredAt.Select(overlay.Space.Format).ToArray(), lookup = LookupJson(overlay, result.Lookup, key) };
    }

    public override async Task<object> GetAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var key = body.String("key", 1024) ?? throw new WebProblem("give the 'key'");
        var initiator = await InitiatorAsync(overlay, body);
        var result = await overlay.Peer<IChordPeerGrain>(initiator).GetAsync(key);
        return new { key, value = result.Value, found = result.Value is not null, served_by = result.ServedBy is { } s ? overlay.Space.Format(s) : null, lookup = LookupJson(overlay, result.Lookup, key) };
    }

    public override async Task<object> SummaryAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return new { check = await overlay.Grains.GetGrain<IChordOverlayGrain>(overlay.Name).CheckAsync() };
    }

    private static async Task<NodeId> InitiatorAsync(OverlayContext overlay, RequestBody body)
    {
        if (overlay.Info.Members == 0)
        {
            throw WebProblem.Conflict($"'{overlay.Name}' has no peers yet: join some first");
        }

        var preferred = Preferred(overlay, body);
        if (preferred is { } p && !await overlay.Peer<IChordPeerGrain>(p).IsMemberAsync())
        {
            throw WebProblem.NotFound($"peer {overlay.Space.Format(p)} is not a member of '{overlay.Name}'");
        }

        return await overlay.Grains.GetGrain<IChordOverlayGrain>(overlay.Name).ResolveInitiatorAsync(preferred);
    }
}
