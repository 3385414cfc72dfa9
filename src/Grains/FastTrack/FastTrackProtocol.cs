using P2POrleans.Common;
using P2POrleans.FastTrack;

// FastTrack registers its peers with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(FastTrackParameters.Name, typeof(FastTrackPeerGrain))]
