using P2POrleans.Common;
using P2POrleans.Gnutella;

// Gnutella registers its peers with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(GnutellaParameters.Name, typeof(GnutellaPeerGrain))]
