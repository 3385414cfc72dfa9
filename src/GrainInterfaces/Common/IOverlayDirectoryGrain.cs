namespace P2POrleans.Common;

/// <summary>
/// The names of the durable overlays, kept in storage so they are found after every silo restarted
/// (single grain, key 0). To list every overlay ask <see cref="IOverlayCatalogGrain"/>, which serves
/// the replica of the silo it runs on (docs/cluster.md).
/// </summary>
public interface IOverlayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Lists an overlay; a durable one is persisted so the list survives a silo crash.</summary>
    Task AddAsync(string name, string protocol, bool durable);

    Task RemoveAsync(string name);

    Task<IReadOnlyList<string>> ListAsync();
}
