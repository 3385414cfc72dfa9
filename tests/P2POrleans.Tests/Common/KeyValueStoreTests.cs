using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Tests.Common;

/// <summary>The one key/value store of Chord and Pastry peers.</summary>
public sealed class KeyValueStoreTests
{
    [Fact]
    public void The_version_moves_only_on_changes()
    {
        var store = new KeyValueStore();
        var item = new StoredItem("k", NodeId.FromUInt64(7), "v");
        store.Put(item);
        var version = store.Version;
        store.Put(item);
        Assert.Equal(version, store.Version);
        Assert.Equal("v", store.Get("k"));

        store.Put(item with { Value = "w" });
        Assert.True(store.Version > version);
        Assert.Equal("w", store.Get("k"));
        Assert.Equal(1, store.Count);

        version = store.Version;
        Assert.True(store.Remove("k"));
        Assert.False(store.Remove("k"));
        Assert.Null(store.Get("k"));
        Assert.True(store.Version > version);
    }

    [Fact]
    public void A_range_is_open_at_its_start_closed_at_its_end_and_wraps_round_the_ring()
    {
        var space = new IdSpace(6);
        var store = new KeyValueStore();
        foreach (var k in new ulong[] { 1, 10, 20, 40, 63 })
        {
            store.Put(new StoredItem("key" + k, NodeId.FromUInt64(k), "v"));
        }

        static ulong[] Ids(IEnumerable<StoredItem> items) => [.. items.Select(i => i.KeyId.Low64).Order()];
        Assert.Equal([20UL, 40UL], Ids(store.InRange(space, NodeId.FromUInt64(10), NodeId.FromUInt64(40))));
        Assert.Equal([1UL, 63UL], Ids(store.InRange(space, NodeId.FromUInt64(40), NodeId.FromUInt64(1))));
        Assert.Equal([1UL, 10UL, 20UL, 40UL, 63UL], [.. store.KeyIds().Select(k => k.Low64).Order()]);

        var version = store.Version;
        store.Clear();
        Assert.Equal(0, store.Count);
        Assert.True(store.Version > version);
    }
}
