using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>FastTrack on the page: supernodes marked, a search through one's supernode flooding the others (`fasttrack search`).</summary>
public sealed class FastTrackApi : UnstructuredApi
{
    public override string Protocol => FastTrackParameters.Name;

    protected override UnstructuredParameters Defaults { get; } = new FastTrackParameters();

    protected override async Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters) =>
        await grains.GetGrain<IFastTrackOverlayGrain>(name).CreateAsync((FastTrackParameters)parameters);

    protected override Task<IReadOnlyList<UnstructuredPeerView>> ViewsAsync(OverlayContext overlay) => Overlay(overlay).PeersAsync();

    protected override Task<int> JoinOneAsync(OverlayContext overlay) => Overlay(overlay).JoinAsync([]);

    protected override Task<int> RequireMemberAsync(OverlayContext overlay, int node) =>
        MemberOrNotFoundAsync(() => Overlay(overlay).RequireMemberAsync(node), overlay, node);

    protected override Task<QueryOutcome> SearchAsync(OverlayContext overlay, int from, string text, int? ttl) =>
        PeerGrain(overlay, from).SearchAsync(text, ttl);

    protected override IUnstructuredPeer Peer(OverlayContext overlay, int node) => PeerGrain(overlay, node);

    public override async Task<object> SummaryAsync(OverlayContext overlay) => new { supernodes = await Overlay(overlay).SupernodesAsync() };

    private static IFastTrackPeerGrain PeerGrain(OverlayContext overlay, int node) => overlay.Grains.GetGrain<IFastTrackPeerGrain>(Key(overlay, node));

    private static IFastTrackOverlayGrain Overlay(OverlayContext overlay) => overlay.Grains.GetGrain<IFastTrackOverlayGrain>(overlay.Name);
}
