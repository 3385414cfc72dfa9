using P2POrleans.Common;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Web.Api;

/// <summary>Napster on the page: the central server and its directory, a search answered by it (`napster search`), its crash and recovery.</summary>
public sealed class NapsterApi : UnstructuredApi<INapsterOverlayGrain, INapsterPeerGrain>
{
    public override string Protocol => NapsterParameters.Name;

    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup", "fail-server", "recover-server"];

    protected override UnstructuredParameters Defaults { get; } = new NapsterParameters();

    protected override async Task<OverlayInfo> CreateOverlayAsync(IGrainFactory grains, string name, UnstructuredParameters parameters) =>
        await grains.GetGrain<INapsterOverlayGrain>(name).CreateAsync((NapsterParameters)parameters);

    /// <summary>The server answers from its directory: no TTL.</summary>
    protected override Task<QueryOutcome> SearchAsync(INapsterPeerGrain from, string text, int? ttl) => from.SearchAsync(text);

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
}
