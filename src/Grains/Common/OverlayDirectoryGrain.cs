using Orleans.Serialization;

namespace P2POrleans.Common;

/// <summary>
/// Names of the durable overlays, written to grain storage so they are still listed after the silo
/// hosting this grain crashed or the whole cluster restarted (docs/durability.md); the catalog lists
/// the volatile ones from its replica (docs/cluster.md).
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class OverlayDirectoryGrain : Grain, IOverlayDirectoryGrain
{
    private readonly SortedDictionary<string, string> _overlays = new(StringComparer.Ordinal);
    private readonly PersistedRecord<OverlayDirectoryRecord> _stored;
    private OverlayDirectoryRecord _durable = new();

    public OverlayDirectoryGrain(Serializer serializer, [PersistentState("directory", P2PStorage.Name)] IPersistentState<StoredBlob> stored) =>
        _stored = new PersistedRecord<OverlayDirectoryRecord>(stored, serializer);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durable = _stored.Read() ?? new OverlayDirectoryRecord();
        foreach (var (name, protocol) in _durable.Durable)
        {
            _overlays[name] = protocol;
        }

        return Task.CompletedTask;
    }

    // Not reentrant: the writes of one activation never overlap.
    public Task AddAsync(string name, string protocol, bool durable)
    {
        _overlays[name] = protocol;
        if (!durable)
        {
            return Task.CompletedTask;
        }

        _durable.Durable[name] = protocol;
        return _stored.WriteAsync(_durable);
    }

    public Task RemoveAsync(string name)
    {
        _overlays.Remove(name);
        return _durable.Durable.Remove(name) ? _stored.WriteAsync(_durable) : Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_overlays.Keys.ToList());
}
