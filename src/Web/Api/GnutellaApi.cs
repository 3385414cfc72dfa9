using P2POrleans.Common;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>Gnutella 0.4 on the page: a Query flooded TTL by TTL (`gnutella query`).</summary>
public sealed class GnutellaApi : UnstructuredApi
{
    public override string Protocol => GnutellaParameters.Name;

    protected override UnstructuredParameters Defaults { get; } = new GnutellaParameters();

    protected override async Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters) =>
        await grains.GetGrain<IGnutellaOverlayGrain>(name).CreateAsync((GnutellaParameters)parameters);

    protected override Task<IReadOnlyList<UnstructuredPeerView>> ViewsAsync(OverlayContext overlay) => Overlay(overlay).PeersAsync();

    protected override Task<int> JoinOneAsync(OverlayContext overlay) => Overlay(overlay).JoinAsync([]);

    protected override Task<int> RequireMemberAsync(OverlayContext overlay, int node) =>
        MemberOrNotFoundAsync(() => Overlay(overlay).RequireMemberAsync(node), overlay, node);

    protected override Task<QueryOutcome> SearchAsync(OverlayContext overlay, int from, string text, int? ttl) =>
        Servent(overlay, from).QueryAsync(text, ttl);

    protected override IUnstructuredPeer Peer(OverlayContext overlay, int node) => Servent(overlay, node);

    private static IGnutellaPeerGrain Servent(OverlayContext overlay, int node) => overlay.Grains.GetGrain<IGnutellaPeerGrain>(Key(overlay, node));

    private static IGnutellaOverlayGrain Overlay(OverlayContext overlay) => overlay.Grains.GetGrain<IGnutellaOverlayGrain>(overlay.Name);
}
