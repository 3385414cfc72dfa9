using System.Security.Cryptography;
using System.Text;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Bencoding;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>Metainfo files (BEP 3): creation, encoding, parsing, info hash over the exact bytes.</summary>
public sealed class MetainfoTests
{
    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] A(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Info_hash_is_the_sha1_of_the_info_bytes_of_a_hand_built_torrent()
    {
        var content = Content(40_000, 1);
        var h0 = SHA1.HashData(content.AsSpan(0, 32768));
        var h1 = SHA1.HashData(content.AsSpan(32768));
        var info = Concat(A("d6:lengthi40000e4:name8:file.bin12:piece lengthi32768e6:pieces40:"), h0, h1, A("e"));
        const string url = "http://tracker.example/ann";
        var torrent = Concat(A($"d8:announce{url.Length}:{url}4:info"), info, A("e"));

        var meta = Metainfo.Parse(torrent);

        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(info)), meta.InfoHash.Hex);
        Assert.Equal(info, meta.InfoBytes.ToArray());
        Assert.Equal("http://tracker.example/ann", meta.Announce);
        Assert.Equal("file.bin", meta.Name);
        Assert.Equal(40_000, meta.TotalLength);
        Assert.Equal(2, meta.PieceCount);
        Assert.Equal(40_000 - 32768, meta.Layout.LastPieceLength);
        Assert.True(meta.VerifyPiece(1, content.AsSpan(32768)));
        Assert.False(meta.VerifyPiece(0, content.AsSpan(32768)));
        Assert.Equal(torrent, meta.ToTorrentBytes());
    }

    [Theory]
    [InlineData(1, 32 * 1024)]
    [InlineData(100_000, 32 * 1024)]
    [InlineData(2 * 1024 * 1024, 256 * 1024)]
    [InlineData(5 * 1024 * 1024 + 3, 4 * 1024 * 1024)]
    public void Created_torrents_round_trip_through_bytes(int length, int pieceLength)
    {
        var content = Content(length, length);
        var meta = Metainfo.Create("x.bin", content, "http://t/announce", pieceLength);
        var parsed = Metainfo.Parse(meta.ToTorrentBytes());

        Assert.Equal(meta.InfoHash, parsed.InfoHash);
        Assert.Equal(InfoHash.Compute(parsed.InfoBytes), parsed.InfoHash);
        Assert.Equal(length, parsed.TotalLength);
        Assert.Equal((length + pieceLength - 1) / pieceLength, parsed.PieceCount);
        for (var p = 0; p < parsed.PieceCount; p++)
        {
            var offset = (int)parsed.Layout.PieceOffset(p);
            Assert.True(parsed.VerifyPiece(p, content.AsSpan(offset, parsed.Layout.PieceSize(p))));
        }
    }

    [Fact]
    public void Default_piece_length_is_256_KiB_and_the_hash_changes_with_the_content()
    {
        var content = Content(600_000, 3);
        var meta = Metainfo.Create("a", content, "http://t");
        Assert.Equal(256 * 1024, meta.PieceLength);
        content[599_999] ^= 1;
        Assert.NotEqual(meta.InfoHash, Metainfo.Create("a", content, "http://t").InfoHash);
    }

    [Fact]
    public void Multi_file_torrents_hash_pieces_across_file_boundaries()
    {
        var a = Content(50_000, 4);
        var b = Content(30_000, 5);
        var meta = Metainfo.CreateMultiFile("dir", [(["a.bin"], a), (["sub", "b.bin"], b)], "http://t", 32 * 1024);
        var parsed = Metainfo.Parse(meta.ToTorrentBytes());

        Assert.True(parsed.IsMultiFile);
        Assert.Equal(80_000, parsed.TotalLength);
        Assert.Equal(["sub", "b.bin"], parsed.Files[1].Path);
        Assert.Equal(meta.InfoHash, parsed.InfoHash);
        var all = Concat(a, b);
        Assert.True(parsed.VerifyPiece(1, all.AsSpan(32768, 32768)));
    }

    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(8 * 1024 * 1024)]
    [InlineData(48 * 1024)]
    [InlineData(0)]
    public void Piece_length_must_be_a_power_of_two_from_32_KiB_to_4_MiB(int pieceLength) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Metainfo.Create("a", new byte[10], "http://t", pieceLength));

    [Fact]
    public void Invalid_metainfo_is_rejected()
    {
        // Wrong number of hashes for the length.
        Assert.Throws<MetainfoException>(() => Metainfo.Parse(A("d8:announce1:t4:infod6:lengthi70000e4:name1:a12:piece lengthi32768e6:pieces0:ee")));
        // Both length and files.
        Assert.Throws<MetainfoException>(() => Metainfo.Parse(A("d8:announce1:t4:infod5:filesle6:lengthi1e4:name1:a12:piece lengthi32768e6:pieces0:ee")));
        // Not a dictionary at all.
        Assert.Throws<MetainfoException>(() => Metainfo.Parse(A("le")));
        // Unsorted keys in info are not canonical bencode: rejected, not silently re-sorted.
        Assert.Throws<BencodeException>(() => Metainfo.Parse(A("d8:announce1:t4:infod4:name1:a6:lengthi1eee")));
    }

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public bool Verifying_a_piece_from_blocks_cut_anywhere_agrees_with_verifying_it_whole(int cutSeed, int flipAt, bool corrupt)
    {
        var content = Content(3 * 32768, 11);
        var meta = Metainfo.Create("f", content, "http://t", 32768);
        var piece = content.AsSpan(32768, 32768).ToArray();
        if (corrupt)
        {
            piece[(int)((uint)flipAt % piece.Length)] ^= 0x40;
        }

        // Cut the piece into 1 to 5 pieces of any lengths (empty ones included).
        var random = new Random(cutSeed);
        var cuts = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(0, piece.Length + 1)).Append(0).Append(piece.Length).Order().ToList();
        var blocks = cuts.Zip(cuts.Skip(1)).Select(c => (ReadOnlyMemory<byte>)piece.AsMemory(c.First, c.Second - c.First)).ToList();
        var whole = meta.VerifyPiece(1, piece);
        return whole == !corrupt && meta.VerifyPiece(1, blocks) == whole && !meta.VerifyPiece(1, blocks.Append(new byte[1]).ToList());
    }
}
