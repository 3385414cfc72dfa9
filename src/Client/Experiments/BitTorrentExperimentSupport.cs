using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Running a simulated swarm to completion for the BitTorrent experiments.</summary>
public static class BitTorrentExperimentSupport
{
    /// <summary>Ticks per driver call: a call must finish within the client's response timeout.</summary>
    private const int TicksPerCall = 2;

    /// <summary>Creates the swarm, steps it until every leecher has finished, returns its progress and per-tick history, deletes it.</summary>
    public static async Task<(SwarmProgress Progress, IReadOnlyList<SwarmSample> History)> RunAsync(ExperimentContext context, string experiment, SwarmParameters parameters, Action<double>? progress = null)
    {
        var name = context.NewOverlayName(experiment);
        var swarm = context.Client.GetGrain<ISwarmGrain>(name);
        try
        {
            var state = await swarm.CreateAsync(parameters);
            while (!state.Done)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                state = await swarm.StepAsync(TicksPerCall);
                progress?.Invoke(state.Leechers == 0 ? 0 : (double)state.Completed / state.Leechers);
            }

            return (state, await swarm.GetHistoryAsync());
        }
        finally
        {
            await context.Client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
        }
    }

    public static double Mean(IEnumerable<SwarmCompletion> completions, PeerBehaviour behaviour) =>
        completions.Where(c => c.Behaviour == behaviour).Select(c => c.DownloadSeconds).DefaultIfEmpty(double.NaN).Average();

    public static double Median(IEnumerable<SwarmCompletion> completions, PeerBehaviour behaviour)
    {
        var times = completions.Where(c => c.Behaviour == behaviour).Select(c => c.DownloadSeconds).ToList();
        return times.Count == 0 ? double.NaN : Percentile.NearestRank(times, 50);
    }
}
