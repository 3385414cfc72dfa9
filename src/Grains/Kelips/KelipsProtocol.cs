using P2POrleans.Common;
using P2POrleans.Kelips;

// Kelips registers its peers with the overlay registry (docs/architecture.md).
[assembly: OverlayProtocol(KelipsParameters.Name, typeof(KelipsPeerGrain))]
