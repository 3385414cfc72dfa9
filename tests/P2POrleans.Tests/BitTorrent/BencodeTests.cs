using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Bencoding;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>Bencoding (BEP 3): round trips over random values, canonical form, strict rejection.</summary>
public sealed class BencodeTests
{
    private static readonly Gen<byte[]> Bytes =
        Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    private static readonly Gen<long> Integers = Gen.OneOf(
        Gen.Choose(-1000, 1000).Select(i => (long)i),
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((long)hi << 32) | (uint)lo,
        Gen.Elements(long.MinValue, long.MaxValue, 0L));

    private static Gen<BValue> Values(int depth)
    {
        var leaf = Gen.OneOf(
            Integers.Select(i => (BValue)new BInteger(i)),
            Bytes.Select(b => (BValue)new BString(b)));
        if (depth <= 0)
        {
            return leaf;
        }

        var list = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Values(depth - 1), n)).Select(items => (BValue)new BList(items));
        var entry = from key in Bytes from value in Values(depth - 1) select (key, value);
        var dictionary = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(entry, n)).Select(entries =>
        {
            var d = new BDictionary();
            foreach (var (key, value) in entries)
            {
                d.Set(key, value);
            }

            return (BValue)d;
        });
        return Gen.OneOf(leaf, list, dictionary);
    }

    public static Arbitrary<BValue> BValues() => Values(4).ToArbitrary();

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Property(Arbitrary = [typeof(BencodeTests)], MaxTest = 300)]
    public bool Decode_of_encode_is_the_value_and_encode_of_decode_is_the_bytes(BValue value)
    {
        var bytes = Bencode.Encode(value);
        var decoded = Bencode.Decode(bytes);
        return decoded.Equals(value) && Bencode.Encode(decoded).AsSpan().SequenceEqual(bytes) && decoded.Raw.Span.SequenceEqual(bytes);
    }

    [Property(Arbitrary = [typeof(BencodeTests)], MaxTest = 200)]
    public bool Every_proper_prefix_and_any_trailing_byte_is_rejected(BValue value)
    {
        var bytes = Bencode.Encode(value);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            if (!Throws(bytes[..cut]))
            {
                return false;
            }
        }

        return Throws([.. bytes, (byte)'e']) && Throws([.. bytes, (byte)'0']);
    }

    private static bool Throws(byte[] input)
    {
        try
        {
            Bencode.Decode(input);
            return false;
        }
        catch (BencodeException)
        {
            return true;
        }
    }

    [Theory]
    [InlineData("i42e")]
    [InlineData("i-3e")]
    [InlineData("i0e")]
    [InlineData("0:")]
    [InlineData("4:spam")]
    [InlineData("le")]
    [InlineData("de")]
    [InlineData("l4:spam4:eggse")]
    [InlineData("d3:cow3:moo4:spam4:eggse")]
    [InlineData("d4:spaml1:a1:bee")]
    [InlineData("i9223372036854775807e")]
    [InlineData("i-9223372036854775808e")]
    public void BEP3_examples_decode_and_reencode_identically(string text) =>
        Assert.Equal(B(text), Bencode.Encode(Bencode.Decode(B(text))));

    [Fact]
    public void Dictionary_keys_are_encoded_sorted_as_raw_bytes()
    {
        var d = new BDictionary();
        d.Set([0xff], new BInteger(1));
        d.Set("b"u8, new BInteger(2));
        d.Set("a"u8, new BInteger(3));
        d.Set("B"u8, new BInteger(4));
        Assert.Equal(B("d1:Bi4e1:ai3e1:bi2e1:\xffi1ee"), Bencode.Encode(d));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("i03e", 1)]
    [InlineData("i-0e", 1)]
    [InlineData("i-03e", 1)]
    [InlineData("ie", 1)]
    [InlineData("i-e", 1)]
    [InlineData("i12", 3)]
    [InlineData("i1x", 2)]
    [InlineData("i9223372036854775808e", 1)]
    [InlineData("03:abc", 0)]
    [InlineData("-1:a", 0)]
    [InlineData("5:abc", 0)]
    [InlineData("4", 1)]
    [InlineData("l", 1)]
    [InlineData("li1e", 4)]
    [InlineData("d", 1)]
    [InlineData("d1:a", 4)]
    [InlineData("di1ei2ee", 1)]
    [InlineData("d1:bi1e1:ai2ee", 7)]
    [InlineData("d1:ai1e1:ai2ee", 7)]
    [InlineData("i1ei2e", 3)]
    [InlineData("4:spamx", 6)]
    [InlineData("x", 0)]
    [InlineData("e", 0)]
    public void Malformed_input_is_rejected_with_the_offset(string text, int offset)
    {
        var error = Assert.Throws<BencodeException>(() => Bencode.Decode(B(text)));
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        var ok = B(new string('l', 64) + new string('e', 64));
        var deep = B(new string('l', 65) + new string('e', 65));
        Bencode.Decode(ok);
        Assert.Throws<BencodeException>(() => Bencode.Decode(deep));
        Assert.Throws<BencodeException>(() => Bencode.Decode(B(new string('l', 100_000)), maxDepth: 64));
    }

    [Fact]
    public void Decoded_values_remember_their_exact_bytes()
    {
        var input = B("d1:ali1e2:xye1:bi7ee");
        var d = (BDictionary)Bencode.Decode(input);
        Assert.Equal(B("li1e2:xye"), d["a"].Raw.ToArray());
        Assert.Equal(B("i7e"), d["b"].Raw.ToArray());
    }
}
