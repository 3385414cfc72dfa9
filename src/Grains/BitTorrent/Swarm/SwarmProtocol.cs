using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.Common;

// BitTorrent's swarms register their members with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(SwarmParameters.Name, typeof(SwarmPeerGrain))]
