using System.Globalization;
using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Running a simulated swarm to completion for the BitTorrent experiments.</summary>
public static class BitTorrentExperimentSupport
{
    /// <summary>Ticks per driver call: a call must finish within the client's response timeout.</summary>
    private const int TicksPerCall = 2;

    /// <summary>Creates the swarm, steps it until every leecher has finished, returns its progress and per-tick history, deletes it.</summary>
    /// <summary>
    /// The flash crowd both BitTorrent experiments start from: leechers arriving at once, every member
    /// downloading at 4x its upload rate. The file takes 32 s to upload once at every scale (the bench's
    /// 32 MiB at 1 MiB/s): smaller scales move fewer bytes at proportionally lower rates, so the
    /// simulated dynamics match.
    /// </summary>
    public static SwarmParameters FlashCrowd(ExperimentContext context)
    {
        var uploadRate = context.Pick(64L * 1024, 512L * 1024, 1L << 20);
        return new SwarmParameters
        {
            Peers = context.Pick(24, 100, 100),
            FileSize = context.Pick(2L << 20, 16L << 20, 32L << 20),
            PieceLength = context.Pick(32 * 1024, 128 * 1024, 256 * 1024),
            UploadRate = uploadRate,
            DownloadRate = 4 * uploadRate,
            TickSeconds = context.Pick(2.0, 1.0, 1.0),
            Seed = context.Seed,
        };
    }

    /// <summary>The "bandwidth" line of an experiment's parameters.</summary>
    public static string Bandwidth(SwarmParameters p) =>
        string.Create(CultureInfo.InvariantCulture, $"upload {p.UploadRate / 1024} KiB/s, download {p.DownloadRate / 1024} KiB/s per member; ticks of {p.TickSeconds} simulated seconds");

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
