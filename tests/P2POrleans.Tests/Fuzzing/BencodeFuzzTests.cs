using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Bencoding;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.Tests.BitTorrent;

namespace P2POrleans.Tests.Fuzzing;

/// <summary>
/// Bencode and .torrent parsing on hostile input: random bytes and mutations of valid
/// encodings either decode (and re-encode to the same bytes) or fail with the parser's own exception.
/// </summary>
public sealed class BencodeFuzzTests
{
    public static Arbitrary<byte[]> Input() => Gen.OneOf(
        Gen.ArrayOf(FuzzInput.Bytes),
        Gen.ArrayOf(Gen.Elements("d", "e", "l", "i", "0", "1", "9", ":", "-", "4:spam", "i-0e", "i00e", "3:abc").Select(s => (byte)s[0])),
        FuzzInput.Mutate(BencodeTests.BValues().Generator.Select(Bencode.Encode))).ToArbitrary();

    public static Arbitrary<Torrent> Torrents() => Gen.OneOf(
            FuzzInput.Mutate(Gen.Constant(ValidTorrent())),
            FuzzInput.Mutate(FuzzInput.Mutate(Gen.Constant(ValidTorrent()))),
            Gen.ArrayOf(FuzzInput.Bytes))
        .Select(b => new Torrent(b)).ToArbitrary();

    [Property(Arbitrary = [typeof(BencodeFuzzTests)], MaxTest = 5000)]
    public bool Arbitrary_bytes_decode_and_reencode_identically_or_throw_BencodeException(byte[] input)
    {
        BValue value;
        try
        {
            value = Bencode.Decode(input);
        }
        catch (BencodeException e)
        {
            return !string.IsNullOrWhiteSpace(e.Message);
        }

        return Bencode.Encode(value).AsSpan().SequenceEqual(input);
    }

    [Property(Arbitrary = [typeof(BencodeFuzzTests)], MaxTest = 3000)]
    public bool Damaged_torrent_files_parse_or_throw_only_the_parser_exceptions(Torrent torrent)
    {
        try
        {
            var meta = Metainfo.Parse(torrent.Bytes);
            return Metainfo.Parse(meta.ToTorrentBytes()).InfoHash == meta.InfoHash;
        }
        catch (Exception e) when (e is BencodeException or MetainfoException)
        {
            return !string.IsNullOrWhiteSpace(e.Message);
        }
    }

    private static byte[] ValidTorrent() =>
        Metainfo.Create("fuzz.bin", Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray(), "http://tracker/announce", 32 * 1024).ToTorrentBytes();

    /// <summary>Torrent bytes, printed as hex when a property fails.</summary>
    public sealed record Torrent(byte[] Bytes)
    {
        public override string ToString() => Convert.ToHexString(Bytes);
    }
}
