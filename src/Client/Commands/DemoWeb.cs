using P2POrleans.Web;

namespace P2POrleans.Client.Commands;

/// <summary>
/// What `p2p demo --web` tells the page: which overlay it is working on (every open page switches to
/// it) and the lookups and floods it prints. Each scene and trace waits until an open page reports it
/// drawn (at most <see cref="AtMost"/>, so a closed or stuck page never stops the demo), then a pause
/// lets a person watch. Without --web every call does nothing.
/// </summary>
public sealed class DemoWeb(LiveFeed? feed, TimeSpan pause)
{
    private static readonly TimeSpan AtMost = TimeSpan.FromSeconds(15);

    public static DemoWeb Off { get; } = new(null, TimeSpan.Zero);

    public bool On => feed is not null;

    public async Task SceneAsync(string overlay, string caption, CancellationToken ct)
    {
        if (feed is null)
        {
            return;
        }

        var drawn = feed.NextDrawAsync(overlay);
        await feed.FocusAsync(overlay, caption);
        await feed.ChangedAsync(overlay);
        await ShownAsync(drawn, ct);
    }

    public async Task TraceAsync(string overlay, object trace, CancellationToken ct)
    {
        if (feed is null)
        {
            return;
        }

        var drawn = feed.NextDrawAsync(overlay);
        await feed.TraceAsync(overlay, "lookup", trace);
        await ShownAsync(drawn, ct);
    }

    private async Task ShownAsync(Task drawn, CancellationToken ct)
    {
        try
        {
            await drawn.WaitAsync(AtMost, ct);
        }
        catch (TimeoutException)
        {
            // the page is slow or gone: go on, it catches up with the next push
        }

        await Task.Delay(pause, ct);
    }
}
