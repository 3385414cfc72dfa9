using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Tests.Common;

/// <summary>
/// Chord and Pastry store one <see cref="StoredItem"/> type; each had its own before (Chord's StoredItem,
/// Pastry's PastryStoredItem, same fields). Durable peers written by that code must still load
/// (docs/durability.md): the bytes below are a PastryPeerRecord and a ChordPeerRecord serialized by the
/// code of before the merge (Orleans serializer, as grain storage writes them).
/// </summary>
public sealed class StoredItemRecordTests
{
    private const string OldPastryRecord = "IAADwQFBGzEwLjAuMC43OjUwMDHBASEABSHoQAthcHBsZSEA9IUGAQEBAeBBB3JlZOAg6EAJcGVhciEArvgBAQEB4EELZ3JlZW7g4OA=";
    private const string OldChordRecord = "IAADwQFBGzEwLjAuMC44OjQwMDHBASHgIeAhAAMh6EAJcGx1bSEABLUGAQEBAeBBCWJsdWXg4AEBAQEBAeA=";

    private static readonly IdSpace Space = new(16);

    [Fact]
    public void A_pastry_record_written_with_the_old_item_type_loads_with_its_keys()
    {
        var record = TestSerializer.Instance.Deserialize<PastryPeerRecord>(Convert.FromBase64String(OldPastryRecord));

        Assert.NotNull(record);
        Assert.True(record.Member);
        Assert.Equal("10.0.0.7:5001", record.Address);
        Assert.Equal([Item("apple", "red"), Item("pear", "green")], record.Items);
    }

    [Fact]
    public void A_chord_record_written_with_the_old_item_type_loads_with_its_keys()
    {
        var record = TestSerializer.Instance.Deserialize<ChordPeerRecord>(Convert.FromBase64String(OldChordRecord));

        Assert.NotNull(record);
        Assert.True(record.Member);
        Assert.Equal("10.0.0.8:4001", record.Address);
        Assert.Equal([Item("plum", "blue")], record.Items);
    }

    [Fact]
    public void Old_records_read_version_0_and_records_written_now_keep_their_versions()
    {
        // Chord's writes carry a version since (docs/chord.md, replication): an item written before it reads as version 0.
        var old = TestSerializer.Instance.Deserialize<ChordPeerRecord>(Convert.FromBase64String(OldChordRecord));
        Assert.Equal(0, Assert.Single(old!.Items).Version);

        var chord = new ChordPeerRecord { Member = true, Address = "10.0.0.8:4001", Items = [Item("plum", "blue") with { Version = 7 }] };
        var back = TestSerializer.Instance.Deserialize<ChordPeerRecord>(TestSerializer.Instance.SerializeToArray(chord));

        Assert.Equal(chord.Items, back!.Items);
        Assert.Equal(7, Assert.Single(back.Items).Version);
    }

    private static StoredItem Item(string key, string value) => new(key, Space.Hash(key), value);
}
