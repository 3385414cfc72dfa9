using P2POrleans.Common;
using P2POrleans.Napster;

// Napster registers its peers with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(NapsterParameters.Name, typeof(NapsterPeerGrain))]
