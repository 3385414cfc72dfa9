using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>One request's overlay: its name, what the registry knows of it, and the grains to call.</summary>
public sealed record OverlayContext(IGrainFactory Grains, string Name, OverlayInfo Info, WebOptions Options)
{
    public OverlayParameters Parameters => Info.Parameters;

    public IdSpace Space => Info.Parameters.Space;

    public IOverlayRegistryGrain Registry => Grains.GetGrain<IOverlayRegistryGrain>(Name);

    /// <summary>An id given by the user (decimal or 0x-hex, within m bits), or a 400 naming the field.</summary>
    public NodeId ParseId(string text, string field) =>
        Space.TryParse(text, out var id, out var error) ? id : throw new WebProblem($"'{field}': {error}");

    /// <summary>The id's place on the ring as a fraction of 2^m (what the page draws).</summary>
    public double Position(NodeId id) => Ids.Position(Space, id);

    public TPeer Peer<TPeer>(NodeId id)
        where TPeer : IGrainWithStringKey => Grains.GetGrain<TPeer>(PeerKeys.For(Name, id));
}
