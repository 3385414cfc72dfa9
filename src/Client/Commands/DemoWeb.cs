using P2POrleans.Web;

namespace P2POrleans.Client.Commands;

/// <summary>
/// What `p2p demo --web` tells the page: which overlay it is working on (every open page switches to
/// it) and the lookups and floods it prints; a pause after each scene lets a person watch. Without
/// --web every call does nothing.
/// </summary>
public sealed class DemoWeb(LiveFeed? feed, TimeSpan pause)
{
    public static DemoWeb Off { get; } = new(null, TimeSpan.Zero);

    public bool On => feed is not null;

    public async Task SceneAsync(string overlay, string caption, CancellationToken ct)
    {
        if (feed is null)
        {
            return;
        }

        await feed.FocusAsync(overlay, caption);
        await feed.ChangedAsync(overlay);
        await Task.Delay(pause, ct);
    }

    public async Task TraceAsync(string overlay, object trace, CancellationToken ct)
    {
        if (feed is null)
        {
            return;
        }

        await feed.TraceAsync(overlay, "lookup", trace);
        await Task.Delay(pause, ct);
    }
}
