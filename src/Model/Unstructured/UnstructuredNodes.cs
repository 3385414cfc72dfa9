using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// Peer n of an unstructured overlay: id n (grain key "&lt;overlay&gt;/&lt;n in hex&gt;") and address
/// <see cref="PeerEndpoint.ForNode"/>(n) = 10.x.y.z:6346, so an address names its grain.
/// </summary>
public static class UnstructuredNodes
{
    public static NodeId IdOf(int node) => NodeId.FromUInt64((ulong)node);

    public static int NodeOf(NodeId id) => (int)id.Low64;

    public static PeerEndpoint EndpointOf(int node) => PeerEndpoint.ForNode(node);

    public static int NodeOf(PeerEndpoint endpoint) => (int)(endpoint.Address - 0x0A000001u);

    public static string Key(string overlay, int node) => PeerKeys.For(overlay, IdOf(node));
}
