using Orleans.Serialization;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>The wire records survive Orleans serialization (what a call between silos does to them).</summary>
public sealed class PeerWireTests
{
    private static readonly Serializer Serializer = TestSerializer.Instance;

    public static TheoryData<PeerMessage> Messages() =>
    [
        new ChokeMessage(),
        new UnchokeMessage(),
        new InterestedMessage(),
        new NotInterestedMessage(),
        new HaveMessage(41),
        new RequestMessage(new BlockRequest(3, 16384, 16384)),
        new CancelMessage(new BlockRequest(3, 0, 100)),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Messages_round_trip(PeerMessage message) =>
        Assert.Equal(message, Serializer.Deserialize<PeerMessage>(Serializer.SerializeToArray(message)));

    [Fact]
    public void Bitfield_piece_and_ids_round_trip_with_their_bytes()
    {
        var bits = new BitField(13) { [0] = true, [12] = true };
        var bitfield = Serializer.Deserialize<PeerMessage>(Serializer.SerializeToArray<PeerMessage>(new BitfieldMessage(bits.ToBytes())));
        Assert.Equal(bits.ToString(), BitField.FromBytes(Assert.IsType<BitfieldMessage>(bitfield).Bits, 13).ToString());

        var data = new byte[] { 1, 2, 3, 4, 5 };
        var piece = Assert.IsType<PieceMessage>(Serializer.Deserialize<PeerMessage>(Serializer.SerializeToArray<PeerMessage>(new PieceMessage(2, 16384, data.AsMemory(1, 3)))));
        Assert.Equal(new BlockRequest(2, 16384, 3), piece.Block);
        Assert.Equal([2, 3, 4], piece.Data.ToArray());

        var hash = InfoHash.Compute("d4:name1:ae"u8);
        Assert.Equal(hash, Serializer.Deserialize<InfoHash>(Serializer.SerializeToArray(hash)));
        Assert.Equal(hash, InfoHash.Parse(hash.Hex));
        Assert.Equal(new PeerId("x"), Serializer.Deserialize<PeerId>(Serializer.SerializeToArray(new PeerId("x"))));
    }
}
