namespace P2POrleans.Common;

/// <summary>The list of overlay names in the cluster (single grain, key 0).</summary>
public interface IOverlayDirectoryGrain : IGrainWithIntegerKey
{
    Task AddAsync(string name, string protocol);

    Task RemoveAsync(string name);

    Task<IReadOnlyList<string>> ListAsync();
}
