using Microsoft.AspNetCore.SignalR;

namespace P2POrleans.Web;

/// <summary>
/// The page's push channel (SignalR at /live). The server sends "overlays" (the list changed),
/// "changed" (an overlay's state changed: redraw it), "trace" (a lookup or a flood to draw), "focus"
/// (the demo moved on to another overlay). The page sends one thing back: "Drawn", when the demo's
/// scene or trace is on its screen, which `p2p demo --web` waits for before moving on.
/// </summary>
public sealed class LiveHub(LiveFeed feed) : Hub
{
    public void Drawn(string overlay) => feed.Drawn(overlay);

    public override Task OnConnectedAsync()
    {
        feed.PageOpened();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        feed.PageClosed();
        return base.OnDisconnectedAsync(exception);
    }
}
