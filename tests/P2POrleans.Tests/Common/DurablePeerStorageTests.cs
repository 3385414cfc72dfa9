using Orleans.Serialization;
using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

public sealed class DurablePeerStorageTests
{
    private static readonly Serializer Serializer = TestSerializer.Instance;

    [Fact]
    public async Task A_durable_node_is_written_only_when_its_marker_moves_and_cleared_when_it_goes()
    {
        var state = new MemoryState();
        var (storage, holder) = Create(state);
        var node = holder.Node = new Node { Durable = true, Marker = 1, Payload = "joined" };

        await storage.PersistAsync(node);
        Assert.Equal("joined", storage.Read());
        Assert.Equal(1, state.Writes);

        // Same marker: a change the protocol does not need back after a restart costs no write.
        node.Payload = "soft state only";
        await storage.PersistAsync(node);
        Assert.Equal(1, state.Writes);
        Assert.Equal("joined", storage.Read());

        node.Marker = 2;
        await storage.PersistAsync(node);
        Assert.Equal(2, state.Writes);
        Assert.Equal("soft state only", storage.Read());

        // The peer leaves: the grain drops its node first, then forgets; the record is deleted.
        holder.Node = null;
        await storage.ForgetAsync(node);
        Assert.False(state.RecordExists);
        Assert.Null(storage.Read());
    }

    [Fact]
    public async Task A_volatile_node_or_a_replaced_one_never_writes()
    {
        var state = new MemoryState();
        var (storage, holder) = Create(state);
        var volatileNode = holder.Node = new Node { Durable = false, Marker = 1, Payload = "volatile" };
        await storage.PersistAsync(volatileNode);
        await storage.ForgetAsync(volatileNode);
        Assert.Equal(0, state.Writes);
        Assert.Equal(0, storage.Writes);

        // A node the grain no longer holds (it left and joined again while a caller awaited) is not written.
        var stale = new Node { Durable = true, Marker = 5, Payload = "stale" };
        holder.Node = new Node { Durable = true, Marker = 6, Payload = "current" };
        await storage.PersistAsync(stale);
        Assert.Equal(0, state.Writes);
    }

    [Fact]
    public async Task A_restored_node_is_not_written_back_until_it_changes()
    {
        var state = new MemoryState();
        var (first, holder) = Create(state);
        var node = holder.Node = new Node { Durable = true, Marker = 3, Payload = "before the crash" };
        await first.PersistAsync(node);

        // A new activation reads the record and rebuilds the node from it.
        var (second, again) = Create(state);
        var restored = again.Node = new Node { Durable = true, Marker = 3, Payload = second.Read()! };
        second.Restored(restored);
        await second.PersistAsync(restored);
        Assert.Equal(1, state.Writes);
        restored.Marker = 4;
        await second.PersistAsync(restored);
        Assert.Equal(2, state.Writes);
    }

    private static (DurablePeerStorage<Node, string, int> Storage, Holder Holder) Create(MemoryState state)
    {
        var holder = new Holder();
        return (new DurablePeerStorage<Node, string, int>(state, Serializer, () => holder.Node, n => n.Durable, n => n.Payload, n => n.Marker), holder);
    }

    private sealed class Holder
    {
        public Node? Node { get; set; }
    }

    private sealed class Node
    {
        public bool Durable { get; init; }

        public int Marker { get; set; }

        public string Payload { get; set; } = "";
    }

    /// <summary>Grain storage kept in memory, counting writes (a cleared record no longer exists).</summary>
    private sealed class MemoryState : IPersistentState<StoredBlob>
    {
        public StoredBlob State { get; set; } = new();

        public string? Etag { get; private set; }

        public bool RecordExists { get; private set; }

        public int Writes { get; private set; }

        public Task ClearStateAsync()
        {
            State = new StoredBlob();
            RecordExists = false;
            Etag = null;
            return Task.CompletedTask;
        }

        public Task ReadStateAsync() => Task.CompletedTask;

        public Task WriteStateAsync()
        {
            Writes++;
            RecordExists = true;
            Etag = Writes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}
