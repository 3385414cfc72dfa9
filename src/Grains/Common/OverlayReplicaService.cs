using Microsoft.Extensions.Logging;

namespace P2POrleans.Common;

/// <summary>
/// The overlay replica of this silo: writes what the registries send into the silo's
/// <see cref="OverlayReplicaStore"/>. A silo that starts copies every overlay from one that is already
/// up, so a silo restarted after a crash can serve the catalog (and restore a registry) at once.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class OverlayReplicaService : GrainService, IOverlayReplicaService
{
    private readonly OverlayReplicaStore _store;
    private readonly IOverlayReplicaClient _replicas;
    private readonly IClusterMembershipService _membership;
    private readonly ILogger<OverlayReplicaService> _logger;

    public OverlayReplicaService(
        GrainId id,
        Silo silo,
        ILoggerFactory loggerFactory,
        OverlayReplicaStore store,
        IOverlayReplicaClient replicas,
        IClusterMembershipService membership)
        : base(id, silo, loggerFactory)
    {
        _store = store;
        _replicas = replicas;
        _membership = membership;
        _logger = loggerFactory.CreateLogger<OverlayReplicaService>();
    }

    public Task<bool> ApplyAsync(OverlayChange change) =>
        Task.FromResult(_store.Apply(change) != OverlayReplicaStore.Outcome.Gap);

    public Task<OverlayChange?> GetAsync(string name) => Task.FromResult(_store.Get(name)?.ToFull());

    public Task<IReadOnlyList<OverlayChange>> AllAsync() =>
        Task.FromResult<IReadOnlyList<OverlayChange>>([.. _store.All().Select(r => r.ToFull())]);

    protected override async Task StartInBackground()
    {
        await base.StartInBackground();

        // Catch up from the other silos (best effort: what is missed arrives with the next change).
        foreach (var silo in OtherActiveSilos())
        {
            try
            {
                foreach (var change in await _replicas.On(silo).AllAsync().WaitAsync(TimeSpan.FromSeconds(5), StoppedCancellationTokenSource.Token))
                {
                    _store.Apply(change);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogDebug("Overlay replica could not catch up from {Silo}: {Error}", silo, e.Message);
            }
        }
    }

    private IEnumerable<SiloAddress> OtherActiveSilos()
    {
        var snapshot = _membership.CurrentSnapshot;
        return snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(Silo))
            .Select(m => m.SiloAddress)
            .ToList();
    }
}
