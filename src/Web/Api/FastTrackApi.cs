using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>FastTrack on the page: supernodes marked, a search through one's supernode flooding the others (`fasttrack search`).</summary>
public sealed class FastTrackApi : UnstructuredApi<IFastTrackOverlayGrain, IFastTrackPeerGrain>
{
    public override string Protocol => FastTrackParameters.Name;

    protected override UnstructuredParameters Defaults { get; } = new FastTrackParameters();

    protected override async Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters) =>
        await grains.GetGrain<IFastTrackOverlayGrain>(name).CreateAsync((FastTrackParameters)parameters);

    protected override Task<QueryOutcome> SearchAsync(IFastTrackPeerGrain from, string text, int? ttl) => from.SearchAsync(text, ttl);

    public override async Task<object> SummaryAsync(OverlayContext overlay) => new { supernodes = await Overlay(overlay).SupernodesAsync() };
}
