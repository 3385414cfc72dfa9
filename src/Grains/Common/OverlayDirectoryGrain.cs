namespace P2POrleans.Common;

/// <summary>
/// Names of the overlays that exist, for `list`. Durable overlays are also written to grain storage
/// (issue 9), so they are still listed after the silo hosting this grain crashed; volatile ones cost no write.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class OverlayDirectoryGrain(
    [PersistentState("directory", P2PStorage.Name)] IPersistentState<OverlayDirectoryRecord> stored) : Grain, IOverlayDirectoryGrain
{
    private readonly SortedDictionary<string, string> _overlays = new(StringComparer.Ordinal);
    private CoalescingWriter? _writer;

    private CoalescingWriter Writer => _writer ??= new CoalescingWriter(stored.WriteStateAsync);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, protocol) in stored.State.Durable)
        {
            _overlays[name] = protocol;
        }

        return Task.CompletedTask;
    }

    public Task AddAsync(string name, string protocol, bool durable)
    {
        _overlays[name] = protocol;
        if (!durable)
        {
            return Task.CompletedTask;
        }

        stored.State.Durable[name] = protocol;
        return Writer.WriteAsync();
    }

    public Task RemoveAsync(string name)
    {
        _overlays.Remove(name);
        return stored.State.Durable.Remove(name) ? Writer.WriteAsync() : Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_overlays.Keys.ToList());
}
