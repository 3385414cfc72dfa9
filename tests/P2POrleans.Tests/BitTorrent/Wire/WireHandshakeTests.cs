using System.Text;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.Tests.BitTorrent.Wire;

/// <summary>The BEP 3 handshake: pstrlen 19, "BitTorrent protocol", 8 reserved bytes, info hash, peer id.</summary>
public sealed class WireHandshakeTests
{
    private static readonly InfoHash Hash = InfoHash.Compute("d4:name1:ae"u8);

    [Fact]
    public void The_handshake_is_68_bytes_laid_out_as_BEP3_says()
    {
        var peerId = WirePeerIds.For(new PeerId("peer-007"));
        var bytes = new WireHandshake(Hash, peerId).ToBytes();
        Assert.Equal(68, bytes.Length);
        Assert.Equal(19, bytes[0]);
        Assert.Equal("BitTorrent protocol", Encoding.ASCII.GetString(bytes, 1, 19));
        Assert.All(bytes[20..28], b => Assert.Equal(0, b)); // no extension announced
        Assert.Equal(Hash.ToBytes(), bytes[28..48]);
        Assert.Equal("-PO1000-peer-007~~~~", Encoding.ASCII.GetString(bytes, 48, 20));

        var parsed = WireHandshake.Parse(bytes)!;
        Assert.Equal(Hash, parsed.InfoHash);
        Assert.Equal(peerId, parsed.PeerId);
    }

    [Fact]
    public void Reserved_bits_of_the_peer_are_ignored_but_another_protocol_string_is_not_a_handshake()
    {
        var bytes = new WireHandshake(Hash, new byte[20]).ToBytes();
        bytes[25] = 0x10; // the BEP 10 extension bit
        Assert.NotNull(WireHandshake.Parse(bytes));

        var wrong = (byte[])bytes.Clone();
        wrong[5] = (byte)'X';
        Assert.Null(WireHandshake.Parse(wrong));
        wrong = (byte[])bytes.Clone();
        wrong[0] = 18;
        Assert.Null(WireHandshake.Parse(wrong));
        Assert.Null(WireHandshake.Parse(bytes.AsSpan(0, 67)));
    }

    [Fact]
    public void Peer_ids_name_our_members_and_mark_outside_clients()
    {
        Assert.Equal((new PeerId("seed-0"), false, "-PO1000-"), WirePeerIds.Describe(WirePeerIds.For(new PeerId("seed-0"))));
        var transmission = Encoding.ASCII.GetBytes("-TR3000-a1b2c3d4e5f6");
        Assert.Equal((new PeerId("-TR3000-a1b2c3d4e5f6"), true, "-TR3000-"), WirePeerIds.Describe(transmission));
        var binary = new byte[20];
        binary[3] = 0xFF;
        var (peer, outside, client) = WirePeerIds.Describe(binary);
        Assert.True(outside);
        Assert.Equal("", client);
        Assert.StartsWith("hex:", peer.Value, StringComparison.Ordinal);
    }
}
