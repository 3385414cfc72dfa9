using P2POrleans.Common;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>Gnutella 0.4 on the page: a Query flooded TTL by TTL (`gnutella query`).</summary>
public sealed class GnutellaApi : UnstructuredApi<IGnutellaOverlayGrain, IGnutellaPeerGrain>
{
    public override string Protocol => GnutellaParameters.Name;

    protected override UnstructuredParameters Defaults { get; } = new GnutellaParameters();

    protected override async Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters) =>
        await grains.GetGrain<IGnutellaOverlayGrain>(name).CreateAsync((GnutellaParameters)parameters);

    protected override Task<QueryOutcome> SearchAsync(IGnutellaPeerGrain from, string text, int? ttl) => from.QueryAsync(text, ttl);
}
