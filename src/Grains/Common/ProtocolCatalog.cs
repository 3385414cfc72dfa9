using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.Chord;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Kelips;
using P2POrleans.Napster;
using P2POrleans.Pastry;

namespace P2POrleans.Common;

/// <summary>The protocols the registry knows, and which grain class implements each one's peers.</summary>
public static class ProtocolCatalog
{
    private static readonly Dictionary<string, string> PeerGrainClasses = new(StringComparer.Ordinal)
    {
        [ChordParameters.Name] = typeof(ChordPeerGrain).FullName!,
        [KelipsParameters.Name] = typeof(KelipsPeerGrain).FullName!,
        [GnutellaParameters.Name] = typeof(GnutellaPeerGrain).FullName!,
        [NapsterParameters.Name] = typeof(NapsterPeerGrain).FullName!,
        [FastTrackParameters.Name] = typeof(FastTrackPeerGrain).FullName!,
        [PastryParameters.Name] = typeof(PastryPeerGrain).FullName!,
        [SwarmParameters.Name] = typeof(SwarmPeerGrain).FullName!,
    };

    public static IReadOnlyCollection<string> Protocols => PeerGrainClasses.Keys;

    public static bool IsKnown(string protocol) => PeerGrainClasses.ContainsKey(protocol);

    public static IOverlayPeer Peer(IGrainFactory factory, OverlayParameters parameters, string overlay, NodeId id) =>
        factory.GetGrain<IOverlayPeer>(PeerKeys.For(overlay, id), PeerGrainClasses[parameters.Protocol]);
}
