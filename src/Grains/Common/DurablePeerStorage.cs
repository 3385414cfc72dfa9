using Orleans.Core;
using Orleans.Serialization;

namespace P2POrleans.Common;

/// <summary>
/// The durable-peer plumbing shared by the Chord, Pastry and Kelips peer grains: the record
/// read at activation, one coalesced write after each operation that moved the node's marker (what
/// a restarted peer could not get back from its neighbours), and the record's deletion once the peer
/// fails, leaves or stops. A volatile peer never writes. The grain says what its marker is, so each
/// protocol keeps its own rule for which changes are worth a storage write.
/// </summary>
/// <typeparam name="TNode">The grain's in-memory peer state; the grain replaces it on join and drops it on leave.</typeparam>
/// <typeparam name="TRecord">What is written.</typeparam>
/// <typeparam name="TMarker">A cheap summary of the node: a durable peer writes again only when it changes.</typeparam>
public sealed class DurablePeerStorage<TNode, TRecord, TMarker>
    where TNode : class
    where TRecord : class
{
    private readonly PersistedRecord<TRecord> _stored;
    private readonly CoalescingWriter _writer;
    private readonly Func<TNode?> _current;
    private readonly Func<TNode, bool> _isDurable;
    private readonly Func<TNode, TRecord> _toRecord;
    private readonly Func<TNode, TMarker> _marker;
    private readonly Func<TMarker, TMarker, bool> _same;

    /// <summary>What the last write (or the restore) captured; none after a clear or before any write.</summary>
    private (bool Known, TMarker? Marker) _persisted;

    /// <param name="state">The grain's storage slot (read by Orleans before the first call).</param>
    /// <param name="serializer">Turns the record into the stored blob.</param>
    /// <param name="current">The grain's node now: null once it failed, left or stopped (then a write clears the record).</param>
    /// <param name="isDurable">Whether the node's overlay asked for durable peers.</param>
    /// <param name="toRecord">The record of the node as it is now.</param>
    /// <param name="marker">The node's marker.</param>
    /// <param name="same">Marker equality, when the default one is not structural (e.g. arrays).</param>
    public DurablePeerStorage(
        IStorage<StoredBlob> state,
        Serializer serializer,
        Func<TNode?> current,
        Func<TNode, bool> isDurable,
        Func<TNode, TRecord> toRecord,
        Func<TNode, TMarker> marker,
        Func<TMarker, TMarker, bool>? same = null)
    {
        _stored = new PersistedRecord<TRecord>(state, serializer);
        _writer = new CoalescingWriter(SyncAsync);
        _current = current;
        _isDurable = isDurable;
        _toRecord = toRecord;
        _marker = marker;
        _same = same ?? EqualityComparer<TMarker>.Default.Equals;
    }

    /// <summary>Storage writes performed (writes and clears).</summary>
    public long Writes => _writer.Writes;

    /// <summary>The record found at activation, or null.</summary>
    public TRecord? Read() => _stored.Read();

    /// <summary>The node was just rebuilt from the stored record: storage already holds it.</summary>
    public void Restored(TNode node) => _persisted = (true, _marker(node));

    /// <summary>
    /// Writes the node if it is durable, still the grain's node (not replaced by a leave and a new
    /// join while the caller awaited), and its marker moved; the task completes once the change is
    /// in storage. Returns at once otherwise.
    /// </summary>
    public Task PersistAsync(TNode node)
    {
        if (!_isDurable(node) || !ReferenceEquals(_current(), node))
        {
            return Task.CompletedTask;
        }

        return _persisted.Known && _same(_persisted.Marker!, _marker(node)) ? Task.CompletedTask : _writer.WriteAsync();
    }

    /// <summary>A durable peer that failed, left or stopped deletes its record, so it does not come back.</summary>
    public Task ForgetAsync(TNode node) => _isDurable(node) ? _writer.WriteAsync() : Task.CompletedTask;

    /// <summary>Brings storage in line with the grain's node as it is now (serialized and coalesced by the writer).</summary>
    private async Task SyncAsync()
    {
        if (_current() is { } node && _isDurable(node))
        {
            _persisted = (true, _marker(node));
            await _stored.WriteAsync(_toRecord(node));
        }
        else if (_stored.Exists)
        {
            _persisted = default;
            await _stored.ClearAsync();
        }
    }
}
