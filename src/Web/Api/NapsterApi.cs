using P2POrleans.Common;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>Napster on the page: the central server and its directory, a search answered by it (`napster search`), its crash and recovery.</summary>
public sealed class NapsterApi : UnstructuredApi
{
    public override string Protocol => NapsterParameters.Name;

    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup", "fail-server", "recover-server"];

    protected override UnstructuredParameters Defaults { get; } = new NapsterParameters();

    protected override async Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters) =>
        await grains.GetGrain<INapsterOverlayGrain>(name).CreateAsync((NapsterParameters)parameters);

    protected override Task<IReadOnlyList<UnstructuredPeerView>> ViewsAsync(OverlayContext overlay) => Overlay(overlay).PeersAsync();

    protected override Task<int> JoinOneAsync(OverlayContext overlay) => Overlay(overlay).JoinAsync([]);

    protected override Task<int> RequireMemberAsync(OverlayContext overlay, int node) =>
        MemberOrNotFoundAsync(() => Overlay(overlay).RequireMemberAsync(node), overlay, node);

    protected override Task<QueryOutcome> SearchAsync(OverlayContext overlay, int from, string text, int? ttl) =>
        PeerGrain(overlay, from).SearchAsync(text);

    protected override IUnstructuredPeer Peer(OverlayContext overlay, int node) => PeerGrain(overlay, node);

    /// <summary>The server (`napster stats`) and the directory lines of the last searched words.</summary>
    public override async Task<object> SummaryAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return new { server = await Server(overlay).StatsAsync() };
    }

    public override async Task<object> ActAsync(OverlayContext overlay, string action, RequestBody body)
    {
        switch (action)
        {
            case "fail-server":
                await Server(overlay).FailAsync();
                return new { server = "down" };
            case "recover-server":
                await Server(overlay).RecoverAsync();
                return new { server = "up" };
            default:
                return await base.ActAsync(overlay, action, body);
        }
    }

    private static INapsterServerGrain Server(OverlayContext overlay) => overlay.Grains.GetGrain<INapsterServerGrain>(overlay.Name);

    private static INapsterPeerGrain PeerGrain(OverlayContext overlay, int node) => overlay.Grains.GetGrain<INapsterPeerGrain>(Key(overlay, node));

    private static INapsterOverlayGrain Overlay(OverlayContext overlay) => overlay.Grains.GetGrain<INapsterOverlayGrain>(overlay.Name);
}
