using System.Collections.Concurrent;
using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// A BitTorrent swarm on the page: piece availability (peers x pieces, from the driver's bitfields),
/// completion over simulated time, who unchokes whom (`swarm status`), free riders and bans; `step`
/// and `run` advance simulated time with the same calls as `swarm run`.
/// </summary>
public sealed class SwarmApi(LiveFeed feed, IHostApplicationLifetime lifetime, ILogger<SwarmApi> logger) : ProtocolApi
{
    /// <summary>Ticks per call while running: short calls, so the page redraws every couple of simulated seconds.</summary>
    private const int RunChunkTicks = 2;

    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    public override string Protocol => SwarmParameters.Name;

    public override IReadOnlyList<string> Actions { get; } = ["step", "run"];

    public override OverlayParameters Parameters(RequestBody body, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        var d = new SwarmParameters();
        return d with
        {
            Peers = body.Int("peers", 1, 10_000) ?? d.Peers,
            Seeds = body.Int("seeds", 1, 100) ?? d.Seeds,
            FileSize = body.Long("size", 1, SwarmParameters.MaxFileSize) ?? d.FileSize,
            PieceLength = body.Int("piece", 32 * 1024, 4 * 1024 * 1024) ?? d.PieceLength,
            FreeRiderFraction = body.Double("free_riders", 0, 1) ?? d.FreeRiderFraction,
            Corrupters = body.Int("corrupters", 0, 10_000) ?? d.Corrupters,
            Choking = body.Bool("choking") ?? d.Choking,
            Seed = body.Seed(),
        };
    }

    public override async Task<OverlayInfo> CreateAsync(IGrainFactory grains, string name, OverlayParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(grains);
        await grains.GetGrain<ISwarmGrain>(name).CreateAsync((SwarmParameters)parameters);
        return (await grains.GetGrain<IOverlayRegistryGrain>(name).GetAsync())!;
    }

    public override async Task<object> PeersAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var swarm = Swarm(overlay);
        var statuses = await swarm.GetStatusAsync();
        var bitfields = await swarm.GetBitfieldsAsync();
        return new
        {
            pieces = statuses.Count > 0 ? statuses[0].Pieces : 0,
            peers = statuses.Select(s => new
            {
                peer = s.Peer.Value,
                behaviour = s.Behaviour,
                state = s.State,
                have = s.Have,
                unchoking = s.Unchoking.Select(p => p.Value),
                banned = s.Banned.Select(p => p.Value),
                completed_at = s.CompletedAt,
                bytes_up = s.BytesUp,
                bytes_down = s.BytesDown,
            }).ToArray(),
            bitfields, // base64, one per peer in the same order
        };
    }

    public override async Task<object> PeerAsync(OverlayContext overlay, string id)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var statuses = await Swarm(overlay).GetStatusAsync();
        return statuses.FirstOrDefault(s => s.Peer.Value == id)
            ?? throw WebProblem.NotFound($"no member '{RequestBody.Shown(id)}' in swarm '{overlay.Name}'");
    }

    public override async Task<object> SummaryAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var swarm = Swarm(overlay);
        return new { progress = await swarm.GetProgressAsync(), history = await swarm.GetHistoryAsync(), running = _running.ContainsKey(overlay.Name) };
    }

    /// <summary>step: `rounds` ticks at once.</summary>
    public override async Task<object> StepAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var ticks = body.Int("rounds", 1, 100_000) ?? body.Int("ticks", 1, 100_000) ?? 1;
        RefuseWhileRunning(overlay);
        return await Swarm(overlay).StepAsync(ticks);
    }

    /// <summary>run: advances in the background until done (or `ticks` ticks), pushing a redraw after every short step.</summary>
    public override Task<object> ActAsync(OverlayContext overlay, string action, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        if (action != "run")
        {
            return base.ActAsync(overlay, action, body);
        }

        var limit = body.Int("ticks", 1, 1_000_000) ?? 3600;
        RefuseWhileRunning(overlay);
        var swarm = Swarm(overlay);
        var name = overlay.Name;
        var run = new TaskCompletionSource();
        if (!_running.TryAdd(name, run.Task))
        {
            throw WebProblem.Conflict($"swarm '{name}' is running already");
        }

        _ = Task.Run(async () =>
        {
            try
            {
                for (var done = 0; done < limit && !lifetime.ApplicationStopping.IsCancellationRequested;)
                {
                    var ticks = Math.Min(RunChunkTicks, limit - done);
                    var progress = await swarm.StepAsync(ticks);
                    done += ticks;
                    await feed.ChangedAsync(name);
                    if (progress.Done)
                    {
                        break;
                    }
                }
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "running swarm {Swarm} stopped", name);
            }
            finally
            {
                _running.TryRemove(name, out _);
                run.SetResult();
                await feed.ChangedAsync(name);
            }
        });
        return Task.FromResult<object>(new { running = name, max_ticks = limit });
    }

    private void RefuseWhileRunning(OverlayContext overlay)
    {
        if (_running.ContainsKey(overlay.Name))
        {
            throw WebProblem.Conflict($"swarm '{overlay.Name}' is running; wait until it is done");
        }
    }

    private static ISwarmGrain Swarm(OverlayContext overlay) => overlay.Grains.GetGrain<ISwarmGrain>(overlay.Name);
}
