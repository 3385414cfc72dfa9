namespace P2POrleans.Common;

/// <summary>Names of the overlays that exist, for `list`.</summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class OverlayDirectoryGrain : Grain, IOverlayDirectoryGrain
{
    private readonly SortedDictionary<string, string> _overlays = new(StringComparer.Ordinal);

    public Task AddAsync(string name, string protocol)
    {
        _overlays[name] = protocol;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string name)
    {
        _overlays.Remove(name);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_overlays.Keys.ToList());
}
