using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>
/// Napster, Gnutella and FastTrack on the page: the topology (`topology`), a search drawn as its flood
/// wave by wave (`query`/`search`), joins, leaves, crashes and rounds; Napster's server, FastTrack's supernodes.
/// Peers are numbered 0..N-1 (grain key "overlay/&lt;n as a 40-digit hex id&gt;"), as on the console.
/// </summary>
/// <typeparam name="TOverlay">The protocol's overlay grain (joins, views, membership).</typeparam>
/// <typeparam name="TPeer">The protocol's peer grain.</typeparam>
public abstract class UnstructuredApi<TOverlay, TPeer> : ProtocolApi
    where TOverlay : IUnstructuredOverlayGrain
    where TPeer : IUnstructuredPeer
{
    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup"];

    protected abstract UnstructuredParameters Defaults { get; }

    protected abstract Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters);

    /// <summary>A search from peer <paramref name="from"/> through the protocol's own call (Query, search via the supernode or the server).</summary>
    protected abstract Task<QueryOutcome> SearchAsync(TPeer from, string text, int? ttl);

    public override OverlayParameters Parameters(RequestBody body, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        var d = Defaults;
        var topology = body.Choice("topology", "random", "powerlaw", "tree") switch
        {
            "powerlaw" => TopologyKind.PowerLaw,
            "tree" => TopologyKind.Tree,
            "random" => TopologyKind.Random,
            _ => d.Topology,
        };
        return d with
        {
            Topology = topology,
            Peers = body.Int("peers", 2, options.MaxPeers) ?? d.Peers,
            Degree = body.Int("degree", 1, 1000) ?? d.Degree,
            Depth = body.Int("depth", 0, 9) ?? d.Depth,
            FreeRiders = body.Double("free_riders", 0, 1) ?? d.FreeRiders,
            FilesPerPeer = body.Int("files", 0, 1000) ?? d.FilesPerPeer,
            Titles = body.Int("titles", 1, 1_000_000) ?? d.Titles,
            Ttl = body.Int("ttl", 1, 255) ?? d.Ttl,
            Firewalled = body.Double("firewalled", 0, 1) ?? d.Firewalled,
            PongCaching = body.Bool("pong_caching") ?? d.PongCaching,
            QueryCaching = body.Bool("query_caching") ?? d.QueryCaching,
            Seed = body.Seed(),
        };
    }

    public override Task<OverlayInfo> CreateAsync(IGrainFactory grains, string name, OverlayParameters parameters) =>
        CreateOverlayAsync(grains, name, (UnstructuredParameters)parameters);

    public override async Task<object> PeersAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var views = await Overlay(overlay).PeersAsync();
        return new
        {
            peers = views.Select(p => new { node = p.Node, role = p.Role, files = p.Files, neighbours = p.Neighbours, firewalled = p.Firewalled, reputation = Math.Round(p.Reputation, 2) }).ToArray(),
        };
    }

    public override async Task<object> PeerAsync(OverlayContext overlay, string id)
    {
        var node = await RequireMemberAsync(overlay, ParseNode(id, "id"));
        return await Peer(overlay, node).ViewAsync();
    }

    public override async Task<object> JoinAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var count = body.Int("count", 1, 1000) ?? 1;
        CheckRoom(overlay, count);
        var joined = new List<int>();
        for (var i = 0; i < count; i++)
        {
            joined.Add(await Overlay(overlay).JoinAsync([]));
        }

        return new { joined };
    }

    public override async Task<object> FailAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var (count, idText) = CountOrId(body, overlay.Options.MaxPeers);
        List<int> victims;
        if (idText is not null)
        {
            victims = [await RequireMemberAsync(overlay, ParseNode(idText, "id"))];
        }
        else
        {
            var members = await overlay.Registry.GetMembersAsync();
            var picked = Victims(members, count ?? throw new WebProblem("give 'count' (peers to crash) or 'id' (one peer)"), body.Seed());
            victims = [.. picked.Select(p => (int)p.Low64)];
        }

        foreach (var victim in victims)
        {
            await Peer(overlay, victim).FailAsync();
        }

        return new { failed = victims };
    }

    public override async Task<object> LeaveAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var node = await RequireMemberAsync(overlay, ParseNode(body.String("id", 20) ?? throw new WebProblem("give the 'id' of the peer that leaves"), "id"));
        await Peer(overlay, node).LeaveAsync();
        return new { left = node };
    }

    /// <summary>A search from one peer: the console's QueryOutcome (hits, reached, messages, waves).</summary>
    public override async Task<object> LookupAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = body.String("key", 512) ?? throw new WebProblem("give the 'key' words to search for");
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new WebProblem("the search words must not be empty");
        }

        var from = await RequireMemberAsync(overlay, body.Int("from", 0, int.MaxValue) ?? 0);
        var ttl = body.Int("ttl", 1, 255);
        return await SearchAsync(Peer(overlay, from), text, ttl);
    }

    protected static int ParseNode(string text, string field) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var node)
            ? node
            : throw new WebProblem($"'{field}': '{RequestBody.Shown(text)}' is not a peer number");

    /// <summary>Peer n's grain, through the protocol's own interface.</summary>
    protected static TPeer Peer(OverlayContext overlay, int node)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return overlay.Grains.GetGrain<TPeer>(PeerKeys.For(overlay.Name, NodeId.FromUInt64((ulong)node)));
    }

    protected static TOverlay Overlay(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return overlay.Grains.GetGrain<TOverlay>(overlay.Name);
    }

    /// <summary>The node if it is a member; the overlay grain's "not a member" answer (P2PException) as a 404.</summary>
    private static async Task<int> RequireMemberAsync(OverlayContext overlay, int node)
    {
        try
        {
            return await Overlay(overlay).RequireMemberAsync(node);
        }
        catch (P2PException)
        {
            throw WebProblem.NotFound($"peer {node} is not a member of '{overlay.Name}'");
        }
    }
}
