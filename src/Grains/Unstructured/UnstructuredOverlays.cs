using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>What the Napster, Gnutella and FastTrack overlay grains share: the `peers` view and the member check.</summary>
public static class UnstructuredOverlays
{
    private const int Parallelism = 64;

    /// <summary>Every member's view, by node; members that no longer answer (a killed silo) are left out.</summary>
    public static async Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync<TPeer>(IGrainFactory grains, string overlay, IReadOnlyList<NodeId> members)
        where TPeer : IUnstructuredPeer
    {
        var views = await OverlayGrains.GatherAsync(members, Parallelism, id => grains.GetGrain<TPeer>(UnstructuredNodes.Key(overlay, UnstructuredNodes.NodeOf(id))).ViewAsync());
        return views.Values.OrderBy(v => v.Node).ToList();
    }

    /// <summary>The node if it is a member of the overlay; one clear error otherwise.</summary>
    public static async Task<int> RequireMemberAsync<TPeer>(IGrainFactory grains, string overlay, int node)
        where TPeer : IUnstructuredPeer
    {
        if (node < 0 || !await grains.GetGrain<TPeer>(UnstructuredNodes.Key(overlay, node)).IsMemberAsync())
        {
            throw new P2PException($"peer {node} is not a member of '{overlay}'");
        }

        return node;
    }
}
