using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.Web;

/// <summary>
/// Notices changes made outside the page (the console, another page, a live clock): once per watch
/// period it reads every overlay's size and round from its registry (and a swarm's tick) and pushes
/// "changed" for those that moved. Cheap: one call per overlay, whatever its size.
/// </summary>
public sealed class OverlayWatcher(IGrainFactory grains, LiveFeed feed, WebOptions options, ILogger<OverlayWatcher> logger) : BackgroundService
{
    private Dictionary<string, (int Members, long Round, long Tick)> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchPeriod);
        try
        {
            do
            {
                try
                {
                    await WatchOnceAsync();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // the cluster may be busy or a silo going away: try again next period
                    logger.LogDebug(e, "watching the overlays failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the page is stopping
        }
    }

    private async Task WatchOnceAsync()
    {
        var now = new Dictionary<string, (int, long, long)>(StringComparer.Ordinal);
        foreach (var info in await grains.GetGrain<IOverlayCatalogGrain>(0).ListAsync())
        {
            var name = info.Name;
            var tick = info.Parameters is SwarmParameters ? (await grains.GetGrain<ISwarmGrain>(name).GetProgressAsync()).Tick : 0;
            now[name] = (info.Members, info.Round, tick);
        }

        var before = _seen;
        _seen = now;
        if (!before.Keys.ToHashSet().SetEquals(now.Keys))
        {
            await feed.OverlaysChangedAsync();
        }

        foreach (var (name, state) in now)
        {
            if (before.TryGetValue(name, out var old) && old != state)
            {
                await feed.ChangedAsync(name);
            }
        }
    }
}
