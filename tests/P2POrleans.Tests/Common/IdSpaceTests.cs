using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

/// <summary>
/// The ring arithmetic checked against BigInteger as the reference model, over random m and ids.
/// </summary>
public sealed class IdSpaceTests
{
    private static BigInteger Modulus(int bits) => BigInteger.One << bits;

    private static NodeId Id(BigInteger v) => NodeId.FromBigInteger(v);

    public static Arbitrary<(int Bits, BigInteger A, BigInteger B, BigInteger X)> RingPoints() =>
        (from bits in Gen.Elements(1, 3, 7, 8, 31, 32, 63, 64, 65, 127, 128, 129, 159, 160)
         from a in BigGen(bits)
         from b in BigGen(bits)
         from x in Gen.OneOf(BigGen(bits), Gen.Constant(a), Gen.Constant(b))
         select (bits, a, b, x)).ToArbitrary();

    private static Gen<BigInteger> BigGen(int bits) =>
        Gen.ArrayOf(Gen.Choose(0, 255), 21).Select(bytes =>
        {
            var raw = new BigInteger(bytes.Select(b => (byte)b).ToArray(), isUnsigned: true);
            return raw % Modulus(bits);
        });

    [Property(Arbitrary = [typeof(IdSpaceTests)], MaxTest = 500)]
    public bool Add_and_subtract_match_modular_arithmetic((int Bits, BigInteger A, BigInteger B, BigInteger X) p)
    {
        var space = new IdSpace(p.Bits);
        var m = Modulus(p.Bits);
        return space.Add(Id(p.A), Id(p.B)).ToBigInteger() == (p.A + p.B) % m
            && space.Subtract(Id(p.A), Id(p.B)).ToBigInteger() == (((p.A - p.B) % m) + m) % m;
    }

    [Property(Arbitrary = [typeof(IdSpaceTests)], MaxTest = 500)]
    public bool Intervals_match_the_reference_with_wrap_around((int Bits, BigInteger A, BigInteger B, BigInteger X) p)
    {
        var space = new IdSpace(p.Bits);
        var m = Modulus(p.Bits);
        BigInteger D(BigInteger from, BigInteger to) => (((to - from) % m) + m) % m;
        var dx = D(p.A, p.X);
        var db = D(p.A, p.B);
        var sameEnds = p.A == p.B;
        bool openOpen = sameEnds ? p.X != p.A : dx > 0 && dx < db;
        bool openClosed = sameEnds || (dx > 0 && dx <= db);
        bool closedOpen = sameEnds || dx < db;
        bool closedClosed = dx <= db;
        var (a, b, x) = (Id(p.A), Id(p.B), Id(p.X));
        return space.InOpenOpen(x, a, b) == openOpen
            && space.InOpenClosed(x, a, b) == openClosed
            && space.InClosedOpen(x, a, b) == closedOpen
            && space.InClosedClosed(x, a, b) == closedClosed;
    }

    [Property(Arbitrary = [typeof(IdSpaceTests)], MaxTest = 300)]
    public bool Finger_starts_are_n_plus_two_to_the_i((int Bits, BigInteger A, BigInteger B, BigInteger X) p)
    {
        var space = new IdSpace(p.Bits);
        var m = Modulus(p.Bits);
        return Enumerable.Range(0, p.Bits).All(i =>
            space.AddPowerOfTwo(Id(p.A), i).ToBigInteger() == (p.A + (BigInteger.One << i)) % m);
    }

    [Property(Arbitrary = [typeof(IdSpaceTests)], MaxTest = 300)]
    public bool Digits_reassemble_the_id_and_prefix_is_the_first_difference((int Bits, BigInteger A, BigInteger B, BigInteger X) p)
    {
        var space = new IdSpace(p.Bits);
        foreach (var b in new[] { 1, 2, 3, 4, 8 })
        {
            var count = space.DigitCount(b);
            var rebuilt = BigInteger.Zero;
            for (var i = 0; i < count; i++)
            {
                var width = Math.Min(b, p.Bits - (i * b));
                rebuilt = (rebuilt << width) | space.Digit(Id(p.A), i, b);
            }

            if (rebuilt != p.A)
            {
                return false;
            }

            var shared = space.SharedPrefixDigits(Id(p.A), Id(p.B), b);
            for (var i = 0; i < Math.Min(shared, count); i++)
            {
                if (space.Digit(Id(p.A), i, b) != space.Digit(Id(p.B), i, b))
                {
                    return false;
                }
            }

            if (shared < count && space.Digit(Id(p.A), shared, b) == space.Digit(Id(p.B), shared, b))
            {
                return false;
            }
        }

        return true;
    }

    [Property(Arbitrary = [typeof(IdSpaceTests)], MaxTest = 300)]
    public bool Parse_and_format_round_trip((int Bits, BigInteger A, BigInteger B, BigInteger X) p)
    {
        var space = new IdSpace(p.Bits);
        var id = Id(p.A);
        return space.Parse(space.Format(id)) == id
            && space.Parse("0x" + id.ToHex()) == id
            && space.Parse(p.A.ToString(System.Globalization.CultureInfo.InvariantCulture)) == id;
    }

    [Theory]
    [InlineData(8, "256")]
    [InlineData(8, "0x100")]
    [InlineData(160, "0x1" + "0000000000000000000000000000000000000000")]
    [InlineData(8, "-1")]
    [InlineData(8, "12a")]
    [InlineData(8, "0x")]
    [InlineData(8, "0xzz")]
    [InlineData(8, "")]
    public void Parse_rejects_malformed_and_too_long_ids(int bits, string text)
    {
        var space = new IdSpace(bits);
        Assert.False(space.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Hash_keeps_the_most_significant_bits_of_sha1()
    {
        // SHA-1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d (FIPS 180-2 test vector)
        Assert.Equal("a9993e364706816aba3e25717850c26c9cd0d89d", IdSpace.Sha1.Hash("abc").ToHex());
        Assert.Equal(0xa9UL, new IdSpace(8).Hash("abc").Low64);
        Assert.Equal(0xa9993UL, new IdSpace(20).Hash("abc").Low64);
    }

    [Fact]
    public void A_ring_of_one_owns_everything()
    {
        var space = new IdSpace(6);
        var n = NodeId.FromUInt64(9);
        Assert.True(space.InOpenClosed(NodeId.FromUInt64(3), n, n));
        Assert.True(space.InOpenClosed(n, n, n));
        Assert.False(space.InOpenOpen(n, n, n));
    }

    [Fact]
    public void Ids_wider_than_the_space_are_rejected_by_the_constructor()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdSpace(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdSpace(161));
    }
}
