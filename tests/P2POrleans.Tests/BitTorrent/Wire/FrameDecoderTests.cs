using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.Tests.BitTorrent.Wire;

/// <summary>
/// The frame decoder against byte frames written out by hand from BEP 3 ("The peer wire protocol"):
/// a 4-byte big-endian length, then the message id and payload; and against what it must refuse.
/// The torrent: 10 pieces of 32 KiB (two 16 KiB blocks each), the last piece 5,000 bytes.
/// </summary>
public sealed class FrameDecoderTests
{
    private static readonly PieceLayout Layout = new((9L * 32 * 1024) + 5_000, 32 * 1024);
    private static readonly FrameDecoder Decoder = new(Layout);

    public static TheoryData<string, PeerMessage> Frames() => new()
    {
        { "00000000", new KeepAliveMessage() },
        { "0000000100", new ChokeMessage() },
        { "0000000101", new UnchokeMessage() },
        { "0000000102", new InterestedMessage() },
        { "0000000103", new NotInterestedMessage() },
        // have: <len=0005><id=4><piece index>
        { "000000050400000009", new HaveMessage(9) },
        // request: <len=0013><id=6><index><begin><length>
        { "0000000D06" + "00000002" + "00004000" + "00004000", new RequestMessage(new BlockRequest(2, 16384, 16384)) },
        // the last block of the last piece is short: 5,000 bytes at offset 0 of piece 9
        { "0000000D06" + "00000009" + "00000000" + "00001388", new RequestMessage(new BlockRequest(9, 0, 5000)) },
        // cancel: <len=0013><id=8><index><begin><length>
        { "0000000D08" + "00000000" + "00000000" + "00004000", new CancelMessage(new BlockRequest(0, 0, 16384)) },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void A_BEP3_frame_decodes_to_its_message_and_encodes_back_to_the_same_bytes(string hex, PeerMessage expected)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(FrameStatus.Frame, Decoder.TryDecode(bytes, out var message, out var consumed, out _));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(expected, message);
        Assert.Equal(bytes, FrameEncoder.Encode([expected]));
    }

    [Fact]
    public void Bitfield_and_piece_carry_their_bytes()
    {
        // bitfield of 10 pieces: 2 bytes, high bit first: pieces 0..7 and 9 -> FF 40; <len=0003><id=5>
        var bitfield = Convert.FromHexString("0000000305FF40");
        Assert.Equal(FrameStatus.Frame, Decoder.TryDecode(bitfield, out var message, out _, out _));
        var bits = BitField.FromBytes(Assert.IsType<BitfieldMessage>(message).Bits, 10);
        Assert.Equal("1111111101", bits.ToString());
        Assert.Equal(bitfield, FrameEncoder.Encode([message!]));

        // piece: <len=0009+X><id=7><index><begin><block>
        var block = Enumerable.Range(0, 16384).Select(i => (byte)(i * 31)).ToArray();
        var frame = Convert.FromHexString("00004009" + "07" + "00000003" + "00004000").Concat(block).ToArray();
        Assert.Equal(FrameStatus.Frame, Decoder.TryDecode(frame, out message, out var consumed, out _));
        Assert.Equal(frame.Length, consumed);
        var piece = Assert.IsType<PieceMessage>(message);
        Assert.Equal(new BlockRequest(3, 16384, 16384), piece.Block);
        Assert.Equal(block, piece.Data.ToArray());
        Assert.Equal(frame, FrameEncoder.Encode([piece]));
    }

    [Fact]
    public void The_DHT_port_message_is_consumed_and_ignored()
    {
        Assert.Equal(FrameStatus.Frame, Decoder.TryDecode(Convert.FromHexString("00000003091AE1"), out var message, out var consumed, out _));
        Assert.Null(message);
        Assert.Equal(7, consumed);
    }

    [Fact]
    public void Every_cut_of_a_frame_asks_for_more_bytes_and_two_frames_decode_one_at_a_time()
    {
        var frames = FrameEncoder.Encode([new HaveMessage(1), new RequestMessage(new BlockRequest(0, 0, 16384))]);
        for (var cut = 0; cut < 9; cut++)
        {
            Assert.Equal(FrameStatus.NeedMore, Decoder.TryDecode(frames.AsSpan(0, cut), out _, out _, out _));
        }

        Assert.Equal(FrameStatus.Frame, Decoder.TryDecode(frames, out var first, out var used, out _));
        Assert.Equal(new HaveMessage(1), first);
        Assert.Equal(FrameStatus.Frame, Decoder.TryDecode(frames.AsSpan(used), out var second, out var used2, out _));
        Assert.Equal(new RequestMessage(new BlockRequest(0, 0, 16384)), second);
        Assert.Equal(frames.Length, used + used2);
    }

    public static TheoryData<string, WireCloseReason> Bad() => new()
    {
        { "000000011400", WireCloseReason.UnknownMessageId },          // id 20 (BEP 10 extended): not negotiated
        { "000000010A", WireCloseReason.UnknownMessageId },            // id 10
        { "FFFFFFFF", WireCloseReason.LengthOverLimit },               // refused before the bytes arrive
        { "0000400A", WireCloseReason.LengthOverLimit },               // one more than a piece message of 16 KiB (9 + 16384)
        { "000000020000", WireCloseReason.BadMessageLength },          // choke with a payload
        { "0000000404000000", WireCloseReason.BadMessageLength },      // have of 3 bytes
        { "00000005040000000A", WireCloseReason.BadPieceIndex },       // have for piece 10 of 10
        { "000000040500000000", WireCloseReason.BadMessageLength },     // bitfield of 3 bytes for 10 pieces
        { "0000000305FF41", WireCloseReason.BadPieceIndex },           // spare bit set
        { "0000000D06" + "0000000A" + "00000000" + "00004000", WireCloseReason.RequestOutsideTorrent }, // no piece 10
        { "0000000D06" + "00000000" + "00008000" + "00004000", WireCloseReason.RequestOutsideTorrent }, // beyond the piece
        { "0000000D06" + "00000000" + "00000000" + "00008000", WireCloseReason.RequestOutsideTorrent }, // 32 KiB block
        { "0000000D06" + "00000000" + "00000100" + "00004000", WireCloseReason.RequestOutsideTorrent }, // misaligned
        { "0000000D06" + "FFFFFFFF" + "00000000" + "00004000", WireCloseReason.RequestOutsideTorrent }, // index beyond int
        { "0000000D08" + "00000009" + "00000000" + "00004000", WireCloseReason.RequestOutsideTorrent }, // cancel: last block is short
        { "0000000C06" + "00000000" + "00000000" + "000040", WireCloseReason.BadMessageLength },        // request of 11 bytes
        { "0000000B07" + "00000000" + "00000000" + "AABB", WireCloseReason.BlockOutsideTorrent },       // a 2-byte "block"
        { "0000000807" + "00000000" + "000000", WireCloseReason.BadMessageLength },                      // piece header cut
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_frame_that_breaks_BEP3_or_leaves_the_torrent_is_an_error_with_its_reason(string hex, WireCloseReason reason)
    {
        Assert.Equal(FrameStatus.Error, Decoder.TryDecode(Convert.FromHexString(hex), out var message, out _, out var error));
        Assert.Equal(reason, error);
        Assert.Null(message);
    }

    [Fact]
    public void The_length_limit_is_the_longest_message_of_the_torrent()
    {
        Assert.Equal(9 + 16384, Decoder.MaxFrameLength);
        var huge = new PieceLayout(100_000L * 16384, 16384); // 100,000 pieces: a 12,500-byte bitfield
        Assert.Equal(9 + 16384, new FrameDecoder(huge).MaxFrameLength);
        var enormous = new PieceLayout(1_000_000L * 16384, 16384);
        Assert.Equal(1 + 125_000, new FrameDecoder(enormous).MaxFrameLength);
    }
}
