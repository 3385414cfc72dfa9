using P2POrleans.Common;
using P2POrleans.Pastry;

// Pastry registers its peers with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(PastryParameters.Name, typeof(PastryPeerGrain))]
