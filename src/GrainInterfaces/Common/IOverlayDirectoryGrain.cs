namespace P2POrleans.Common;

/// <summary>The list of overlay names in the cluster (single grain, key 0).</summary>
public interface IOverlayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Lists an overlay; a durable one is persisted so the list survives a silo crash.</summary>
    Task AddAsync(string name, string protocol, bool durable);

    Task RemoveAsync(string name);

    Task<IReadOnlyList<string>> ListAsync();
}
