using Microsoft.AspNetCore.SignalR;

namespace P2POrleans.Web;

/// <summary>
/// The page's push channel (SignalR at /live). The server sends; the page never asks here:
/// "overlays" (the list changed), "changed" (an overlay's state changed: redraw it), "trace" (a
/// lookup or a flood to draw), "focus" (the demo moved on to another overlay).
/// </summary>
public sealed class LiveHub : Hub;
