using P2POrleans.Common;

namespace P2POrleans.BitTorrent;

/// <summary>Names of a swarm's grains: members by peer id (SHA-1 of the name), the tracker by info hash.</summary>
public static class SwarmKeys
{
    public static NodeId MemberId(PeerId peer) => IdSpace.Sha1.Hash(peer.Value);

    public static ISwarmPeerGrain Member(IGrainFactory factory, string overlay, PeerId peer) =>
        GrainReferences.Peer<ISwarmPeerGrain>(factory, overlay, MemberId(peer)); // the grain of key PeerKeys.For(overlay, id), without GetGrain's reflection per call

    public static ITrackerGrain Tracker(IGrainFactory factory, string overlay, string infoHash) =>
        factory.GetGrain<ITrackerGrain>(overlay + "/" + infoHash);

    /// <summary>The tracker behind a swarm's HTTP tracker on the wire (its peers are endpoints, not member names).</summary>
    public static ITrackerGrain WireTracker(IGrainFactory factory, string overlay, string infoHash) =>
        factory.GetGrain<ITrackerGrain>(overlay + "/wire/" + infoHash);
}
