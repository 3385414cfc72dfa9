using Orleans.Core;
using Orleans.Serialization;

namespace P2POrleans.Common;

/// <summary>
/// A typed record kept in grain storage as a <see cref="StoredBlob"/>, whatever serializer
/// the storage provider is configured with. Writes go through a <see cref="CoalescingWriter"/>
/// owned by the grain, so they never overlap (storage checks an etag).
/// </summary>
public sealed class PersistedRecord<T>(IStorage<StoredBlob> state, Serializer serializer)
    where T : class
{
    public bool Exists => state.RecordExists && state.State.Data.Length > 0;

    /// <summary>The record read at activation, or null when there is none.</summary>
    public T? Read() => Exists ? serializer.Deserialize<T>(state.State.Data) : null;

    public Task WriteAsync(T record)
    {
        state.State = new StoredBlob { Data = serializer.SerializeToArray(record) };
        return state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();
}
