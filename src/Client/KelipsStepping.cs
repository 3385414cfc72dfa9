using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client;

/// <summary>
/// Steps a Kelips overlay until its ground-truth check says a condition holds (views complete,
/// filetuples spread, ...), checking every few rounds: Kelips state arrives only by gossip.
/// Shared by the experiments and `p2p bench`.
/// </summary>
public static class KelipsStepping
{
    /// <summary>
    /// The last report, the rounds stepped and whether the condition holds: stepping stops after
    /// <paramref name="maxRounds"/> even if not done, and the caller must say so (a measurement of
    /// an overlay that has not converged is not one of a converged overlay).
    /// </summary>
    public static async Task<(KelipsCheckReport Report, int Rounds, bool Done)> StepUntilAsync(
        IClusterClient client, string overlay, Func<KelipsCheckReport, bool> done, int maxRounds, int checkEvery, CancellationToken cancellationToken)
    {
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        var control = client.GetGrain<IKelipsOverlayGrain>(overlay);
        var report = await control.CheckAsync();
        var rounds = 0;
        while (rounds < maxRounds && !done(report))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await registry.StepAsync(checkEvery);
            rounds += checkEvery;
            report = await control.CheckAsync();
        }

        return (report, rounds, done(report));
    }
}
