using FsCheck.Xunit;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Unstructured.Flooding;

/// <summary>The Gnutella 0.4 byte layout: round trips, hand-written frames, and malformed input.</summary>
public sealed class DescriptorCodecTests
{
    private static Guid IdFrom(byte first) => new(Enumerable.Range(first, 16).Select(b => (byte)b).ToArray());

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    [Property(Arbitrary = [typeof(DescriptorGen)], MaxTest = 300)]
    public bool Encode_then_decode_gives_the_same_descriptor(Descriptor descriptor)
    {
        var bytes = DescriptorCodec.Encode(descriptor);
        var decoded = DescriptorCodec.Decode(bytes);
        return decoded == descriptor
            && bytes.Length == DescriptorCodec.HeaderLength + DescriptorCodec.PayloadLength(descriptor.Payload)
            && BitConverter.ToUInt32(bytes, 19) == bytes.Length - 23;
    }

    [Property(Arbitrary = [typeof(DescriptorGen)], MaxTest = 5000)]
    public bool Arbitrary_bytes_either_decode_to_a_frame_that_reencodes_identically_or_throw_DescriptorFormatException(Fuzz fuzz)
    {
        Descriptor decoded;
        try
        {
            decoded = DescriptorCodec.Decode(fuzz.Bytes);
        }
        catch (DescriptorFormatException e)
        {
            return !string.IsNullOrWhiteSpace(e.Message);
        }

        return DescriptorCodec.Encode(decoded).AsSpan().SequenceEqual(fuzz.Bytes);
    }

    [Property(Arbitrary = [typeof(DescriptorGen)], MaxTest = 300)]
    public bool A_stream_of_descriptors_decodes_one_frame_at_a_time(Descriptor a, Descriptor b)
    {
        byte[] stream = [.. DescriptorCodec.Encode(a), .. DescriptorCodec.Encode(b)];
        var first = DescriptorCodec.DecodeFirst(stream, out var used);
        var second = DescriptorCodec.DecodeFirst(stream.AsSpan(used), out var used2);
        return first == a && second == b && used + used2 == stream.Length;
    }

    [Fact]
    public void Ping_is_a_bare_23_byte_header()
    {
        var bytes = DescriptorCodec.Encode(new Descriptor(IdFrom(0), 7, 0, Ping.Instance));
        Assert.Equal(Hex("000102030405060708090A0B0C0D0E0F 00 07 00 00000000"), bytes);
    }

    [Fact]
    public void Pong_layout_has_little_endian_port_and_counts_and_big_endian_ip()
    {
        // port 6346 = 0x18CA, 10.0.0.1, 5 files, 1234 KB = 0x4D2
        var d = new Descriptor(IdFrom(0), 3, 4, new Pong(6346, 0x0A000001, 5, 1234));
        var expected = Hex(
            "000102030405060708090A0B0C0D0E0F 01 03 04 0E000000" +
            "CA18 0A000001 05000000 D2040000");
        Assert.Equal(expected, DescriptorCodec.Encode(d));
        Assert.Equal(d, DescriptorCodec.Decode(expected));
    }

    [Fact]
    public void Query_layout_is_minimum_speed_then_nul_terminated_text()
    {
        var d = new Descriptor(IdFrom(16), 7, 0, new Query(56, "ab"));
        var expected = Hex("101112131415161718191A1B1C1D1E1F 80 07 00 05000000 3800 616200");
        Assert.Equal(expected, DescriptorCodec.Encode(d));
        Assert.Equal(d, DescriptorCodec.Decode(expected));
    }

    [Fact]
    public void QueryHit_layout_has_double_nul_names_and_the_servent_id_last()
    {
        var hit = new QueryHit(
            6346,
            0xC0A80102, // 192.168.1.2
            1000,
            [new QueryHitResult(1, 4096, "a.mp3"), new QueryHitResult(0x01020304, 7, "b")],
            IdFrom(0xA0));
        var d = new Descriptor(IdFrom(0), 5, 2, hit);
        var expected = Hex(
            "000102030405060708090A0B0C0D0E0F 81 05 02 35000000" +
            "02 CA18 C0A80102 E8030000" +
            "01000000 00100000 612E6D703300 00" +
            "04030201 07000000 6200 00" +
            "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF");
        Assert.Equal(expected, DescriptorCodec.Encode(d));
        Assert.Equal(d, DescriptorCodec.Decode(expected));
    }

    [Fact]
    public void Push_layout_is_servent_id_file_index_ip_port()
    {
        var d = new Descriptor(IdFrom(0), 7, 0, new Push(IdFrom(0xB0), 9, 0x01020304, 0x1234));
        var expected = Hex(
            "000102030405060708090A0B0C0D0E0F 40 07 00 1A000000" +
            "B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF 09000000 01020304 3412");
        Assert.Equal(expected, DescriptorCodec.Encode(d));
        Assert.Equal(d, DescriptorCodec.Decode(expected));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "truncated header", "0001020304" },
        { "unknown type", "000102030405060708090A0B0C0D0E0F 02 07 00 00000000" },
        { "bad length: more bytes than announced", "000102030405060708090A0B0C0D0E0F 00 07 00 00000000 FF" },
        { "truncated payload", "000102030405060708090A0B0C0D0E0F 01 07 00 0E000000 CA18" },
        { "payload too large", "000102030405060708090A0B0C0D0E0F 80 07 00 FFFFFF7F 0000" },
        { "ping with a payload", "000102030405060708090A0B0C0D0E0F 00 07 00 01000000 00" },
        { "pong of 13 bytes", "000102030405060708090A0B0C0D0E0F 01 07 00 0D000000 CA18 0A000001 05000000 D20400" },
        { "query without NUL", "000102030405060708090A0B0C0D0E0F 80 07 00 04000000 3800 6162" },
        { "query with bytes after the NUL", "000102030405060708090A0B0C0D0E0F 80 07 00 05000000 3800 610062" },
        { "query text not UTF-8", "000102030405060708090A0B0C0D0E0F 80 07 00 04000000 3800 FF00" },
        {
            "hit count 2, one result",
            "000102030405060708090A0B0C0D0E0F 81 07 00 2A000000 02 CA18 C0A80102 E8030000 01000000 00100000 612E6D703300 00 A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"
        },
        {
            "hit count 1, two results",
            "000102030405060708090A0B0C0D0E0F 81 07 00 35000000 01 CA18 C0A80102 E8030000 01000000 00100000 612E6D703300 00 04030201 07000000 6200 00 A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"
        },
        {
            "hit count 0",
            "000102030405060708090A0B0C0D0E0F 81 07 00 1B000000 00 CA18 C0A80102 E8030000 A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"
        },
        {
            "file name without the double NUL",
            "000102030405060708090A0B0C0D0E0F 81 07 00 29000000 01 CA18 C0A80102 E8030000 01000000 00100000 612E6D703300 A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"
        },
        { "query hit shorter than its servent id", "000102030405060708090A0B0C0D0E0F 81 07 00 05000000 01 CA18 C0A8" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_frames_are_rejected_with_DescriptorFormatException(string what, string hex)
    {
        var e = Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Decode(Hex(hex)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message), what);
    }

    [Fact]
    public void The_payload_limit_is_configurable_on_both_sides()
    {
        var d = new Descriptor(IdFrom(0), 7, 0, new Query(0, new string('x', 100)));
        var bytes = DescriptorCodec.Encode(d);
        Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Decode(bytes, maxPayloadLength: 50));
        Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Encode(d, maxPayloadLength: 50));
        Assert.Equal(d, DescriptorCodec.Decode(bytes, maxPayloadLength: 103));
    }

    [Fact]
    public void Values_that_cannot_be_put_on_the_wire_are_refused_by_the_encoder()
    {
        var id = IdFrom(0);
        Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Encode(new Descriptor(id, 7, 0, new Query(0, "a\0b"))));
        Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Encode(new Descriptor(id, 7, 0, new Query(0, "\ud800"))));
        Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Encode(new Descriptor(id, 7, 0, new QueryHit(1, 1, 1, [], id))));
        var tooMany = Enumerable.Range(0, 256).Select(i => new QueryHitResult((uint)i, 1, "f")).ToArray();
        Assert.Throws<DescriptorFormatException>(() => DescriptorCodec.Encode(new Descriptor(id, 7, 0, new QueryHit(1, 1, 1, tooMany, id))));
    }
}
