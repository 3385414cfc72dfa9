using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>
/// What the shared unstructured verbs need from one protocol (Napster, Gnutella, FastTrack): its name, defaults and
/// creation, its overlay grain and peers (join, membership, leave, fail, share and the peer list go through the
/// calls all three share, <see cref="IUnstructuredOverlayGrain"/> and <see cref="IUnstructuredPeer"/>), and its own
/// search and fetch (Query flood, the server's directory, the supernode's index).
/// </summary>
public sealed record UnstructuredProtocol(
    string Name,
    string Description,
    UnstructuredParameters Defaults,
    Func<IClusterClient, string, UnstructuredParameters, Task<OverlayInfo>> Create,
    Func<IClusterClient, string, IUnstructuredOverlayGrain> Overlay,
    Func<IClusterClient, string, int, IUnstructuredPeer> Peer,
    Func<IClusterClient, string, int, string, int?, Task<QueryOutcome>> Search,
    Func<IClusterClient, string, int, string, int?, Task<FetchOutcome>> Fetch)
{
    /// <summary>A protocol whose overlay grain is <typeparamref name="TOverlay"/> and whose peers (key "overlay/node") are <typeparamref name="TPeer"/>.</summary>
    public static UnstructuredProtocol Of<TParameters, TOverlay, TPeer>(
        string description,
        TParameters defaults,
        Func<TOverlay, TParameters, Task<OverlayInfo>> create,
        Func<TPeer, string, int?, Task<QueryOutcome>> search,
        Func<TPeer, string, int?, Task<FetchOutcome>> fetch)
        where TParameters : UnstructuredParameters
        where TOverlay : IUnstructuredOverlayGrain
        where TPeer : IUnstructuredPeer
    {
        ArgumentNullException.ThrowIfNull(defaults);
        TPeer Peer(IClusterClient client, string overlay, int node) => client.GetGrain<TPeer>(UnstructuredNodes.Key(overlay, node));
        return new(
            defaults.Protocol,
            description,
            defaults,
            (client, overlay, p) => create(client.GetGrain<TOverlay>(overlay), (TParameters)p),
            (client, overlay) => client.GetGrain<TOverlay>(overlay),
            (client, overlay, node) => Peer(client, overlay, node),
            (client, overlay, node, text, ttl) => search(Peer(client, overlay, node), text, ttl),
            (client, overlay, node, text, ttl) => fetch(Peer(client, overlay, node), text, ttl));
    }
}
