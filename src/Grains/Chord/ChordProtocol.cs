using P2POrleans.Chord;
using P2POrleans.Common;

// Chord registers its peers with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(ChordParameters.Name, typeof(ChordPeerGrain))]
