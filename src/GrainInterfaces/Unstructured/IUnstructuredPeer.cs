using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>What Napster, Gnutella and FastTrack peers share: membership and the view `peers` lists.</summary>
public interface IUnstructuredPeer : IMemberPeer
{
    Task<UnstructuredPeerView> ViewAsync();
}
