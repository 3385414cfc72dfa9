using Microsoft.Extensions.Logging;

namespace P2POrleans.Common;

/// <summary>
/// The replicas of every active silo as one thing: send a change to all of them, or find the newest
/// copy of an overlay among them. Silos that do not answer within <see cref="CallTimeout"/> are
/// skipped: a silo that is down catches up when it starts again (<see cref="OverlayReplicaService"/>).
/// </summary>
public sealed class OverlayReplicas(OverlayReplicaStore local, IOverlayReplicaClient client, IClusterMembershipService membership, ILogger<OverlayReplicas> logger)
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>This silo's replica.</summary>
    public OverlayReplicaStore Local => local;

    public IReadOnlyList<SiloAddress> ActiveSilos() =>
        [.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];

    /// <summary>Sends <paramref name="change"/> to every active silo; a silo that reports a gap gets <paramref name="full"/> instead.</summary>
    public Task SendAsync(OverlayChange change, Func<OverlayChange> full) =>
        Task.WhenAll(ActiveSilos().Select(async silo =>
        {
            try
            {
                var replica = client.On(silo);
                if (!await replica.ApplyAsync(change).WaitAsync(CallTimeout))
                {
                    await replica.ApplyAsync(full()).WaitAsync(CallTimeout);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug("Replica of overlay {Overlay} on {Silo} not updated: {Error}", change.Name, silo, e.Message);
            }
        }));

    /// <summary>The newest copy of an overlay that any active silo holds (tombstones included), or null.</summary>
    public async Task<OverlayChange?> NewestAsync(string name)
    {
        var copies = await Task.WhenAll(ActiveSilos().Select(async silo =>
        {
            try
            {
                return await client.On(silo).GetAsync(name).WaitAsync(CallTimeout);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug("Replica of overlay {Overlay} on {Silo} not read: {Error}", name, silo, e.Message);
                return null;
            }
        }));
        var newest = local.Get(name)?.ToFull();
        foreach (var copy in copies)
        {
            if (copy is not null && (newest is null || copy.Version > newest.Version))
            {
                newest = copy;
            }
        }

        return newest;
    }
}
